"""The working calendar: working days and hours, holidays, days off and make-up days."""
