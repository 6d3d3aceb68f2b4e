"""Demo content of the portals (original text written for the demo; names are fictional)."""

from __future__ import annotations

from dataclasses import dataclass

from egov.portal.constants import NewsCategory

DISTRICT_CODE = "513"
# Thị trấn Hà Lam, Xã Bình Dương, Xã Bình Minh, Xã Bình An (the portals of the demo communes).
COMMUNE_CODES = ("20791", "20794", "20812", "20845")


@dataclass(frozen=True)
class ArticleSpec:
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    days_ago: int
    author: str = "Ban Biên tập"
    source: str = "Cổng thông tin điện tử huyện Thăng Bình"


A = ArticleSpec
C = NewsCategory

DISTRICT_NEWS: dict[str, tuple[ArticleSpec, ...]] = {
    C.POLITICS: (
        A(
            "Huyện ủy Thăng Bình tổng kết công tác xây dựng Đảng sáu tháng đầu năm",
            "Sáu tháng đầu năm, các tổ chức cơ sở đảng trên địa bàn huyện kết nạp 112 đảng "
            "viên mới, hoàn thành 58% chỉ tiêu cả năm.",
            (
                "Tại hội nghị, Ban Thường vụ Huyện ủy đánh giá công tác giáo dục chính trị, "
                "tư tưởng được triển khai nền nếp; việc học tập, quán triệt nghị quyết được tổ "
                "chức kịp thời đến chi bộ.",
                "Hội nghị thống nhất tập trung kiện toàn chi bộ thôn, khu phố và nâng cao chất "
                "lượng sinh hoạt chi bộ định kỳ trong những tháng cuối năm.",
            ),
            ("xây dựng Đảng", "Huyện ủy"),
            150,
        ),
        A(
            "Hội đồng nhân dân huyện khai mạc kỳ họp thường lệ giữa năm",
            "Kỳ họp xem xét tình hình kinh tế - xã hội, thu chi ngân sách và trả lời chất "
            "vấn của đại biểu về đất đai, giao thông nông thôn.",
            (
                "Các đại biểu tập trung thảo luận về tiến độ giải ngân vốn đầu tư công, công tác "
                "bồi thường, giải phóng mặt bằng và việc xử lý các kiến nghị của cử tri.",
                "Kỳ họp thông qua các nghị quyết về điều chỉnh kế hoạch đầu tư công trung hạn và "
                "chương trình giám sát của Hội đồng nhân dân năm sau.",
            ),
            ("Hội đồng nhân dân", "kỳ họp"),
            75,
        ),
        A(
            "Lãnh đạo huyện tiếp xúc cử tri xã Bình Minh",
            "Cử tri đề nghị đầu tư nâng cấp tuyến đường ven biển và tăng cường quản lý khai "
            "thác cát trái phép.",
            (
                "Thay mặt lãnh đạo huyện, Chủ tịch UBND huyện tiếp thu, giải trình các ý kiến; "
                "những nội dung thuộc thẩm quyền của tỉnh sẽ được tổng hợp báo cáo.",
                "Đối với tuyến đường ven biển, huyện đã đưa vào danh mục ưu tiên của kế hoạch "
                "đầu tư công giai đoạn tới.",
            ),
            ("tiếp xúc cử tri", "Bình Minh"),
            20,
        ),
    ),
    C.ECONOMY: (
        A(
            "Nông dân Thăng Bình trúng mùa lúa đông xuân",
            "Năng suất lúa vụ đông xuân toàn huyện ước đạt 62 tạ/ha, tăng gần 3 tạ/ha so với "
            "cùng vụ năm trước.",
            (
                "Nhờ chủ động lịch thời vụ, sử dụng giống xác nhận và áp dụng cơ giới hóa khâu "
                "thu hoạch, chi phí sản xuất giảm đáng kể.",
                "Phòng Nông nghiệp và Phát triển nông thôn khuyến cáo bà con làm đất sớm, vệ sinh "
                "đồng ruộng để chuẩn bị cho vụ hè thu.",
            ),
            ("nông nghiệp", "lúa"),
            140,
        ),
        A(
            "Cụm công nghiệp Hà Lam - Chợ Được thu hút thêm ba dự án",
            "Ba doanh nghiệp may mặc, chế biến gỗ và cơ khí đăng ký đầu tư với tổng vốn hơn "
            "300 tỷ đồng, dự kiến tạo việc làm cho khoảng 1.200 lao động.",
            (
                "Huyện cam kết đồng hành, hỗ trợ nhà đầu tư hoàn thiện thủ tục đất đai, môi "
                "trường và kết nối hạ tầng điện, nước.",
                "Các dự án ưu tiên tuyển dụng lao động địa phương, góp phần chuyển dịch cơ cấu "
                "lao động nông thôn.",
            ),
            ("đầu tư", "cụm công nghiệp"),
            60,
        ),
        A(
            "Phát triển sản phẩm OCOP gắn với thế mạnh địa phương",
            "Toàn huyện hiện có 18 sản phẩm đạt chứng nhận OCOP từ 3 sao trở lên, trong đó có "
            "bánh tráng, nước mắm và rượu truyền thống.",
            (
                "Các chủ thể được hỗ trợ thiết kế bao bì, truy xuất nguồn gốc và đưa sản phẩm lên "
                "sàn thương mại điện tử.",
                "Năm nay huyện phấn đấu có thêm 5 sản phẩm mới được công nhận.",
            ),
            ("OCOP", "nông nghiệp"),
            12,
        ),
    ),
    C.CULTURE_SOCIETY: (
        A(
            "Khai giảng lớp tiếng Anh miễn phí cho học sinh vùng biển",
            "Lớp học do Đoàn Thanh niên huyện phối hợp với các tình nguyện viên tổ chức vào "
            "tối thứ Bảy hằng tuần.",
            (
                "Hơn 60 em học sinh các xã Bình Dương, Bình Minh, Bình Nam đăng ký tham gia khóa "
                "học đầu tiên kéo dài ba tháng.",
                "Ban tổ chức chuẩn bị giáo trình, tài liệu và phòng học tại nhà văn hóa xã.",
            ),
            ("giáo dục", "thanh niên"),
            130,
        ),
        A(
            "Trao 200 suất học bổng cho học sinh có hoàn cảnh khó khăn",
            "Mỗi suất học bổng trị giá 1.000.000 đồng cùng sách vở, đồ dùng học tập, do các "
            "nhà hảo tâm và doanh nghiệp đóng góp.",
            (
                "Phát biểu tại buổi trao học bổng, đại diện Ủy ban Mặt trận Tổ quốc huyện mong "
                "các em nỗ lực vươn lên trong học tập.",
                "Quỹ Khuyến học huyện tiếp tục vận động để mở rộng số suất học bổng vào đầu năm "
                "học mới.",
            ),
            ("giáo dục", "an sinh xã hội"),
            45,
        ),
        A(
            "Ra quân chiến dịch tiêm chủng mở rộng năm nay",
            "Trung tâm Y tế huyện tổ chức tiêm bổ sung vắc xin sởi - rubella cho trẻ từ 1 đến "
            "5 tuổi tại 22 trạm y tế xã, thị trấn.",
            (
                "Phụ huynh mang theo sổ tiêm chủng khi đưa trẻ đến điểm tiêm; trẻ được khám sàng "
                "lọc và theo dõi 30 phút sau tiêm.",
                "Trạm y tế các xã bố trí lịch tiêm vào buổi sáng các ngày trong tuần.",
            ),
            ("y tế", "tiêm chủng"),
            8,
        ),
    ),
    C.DEFENCE_SECURITY: (
        A(
            "Lễ giao nhận quân năm nay diễn ra trang trọng",
            "175 thanh niên ưu tú của huyện lên đường nhập ngũ, bảo đảm 100% chỉ tiêu giao quân.",
            (
                "Buổi lễ diễn ra trong không khí phấn khởi; các tân binh hứa rèn luyện, học tập "
                "tốt, xứng đáng với truyền thống quê hương.",
                "Các xã, thị trấn tổ chức gặp mặt, động viên và tặng quà gia đình tân binh.",
            ),
            ("giao quân", "quốc phòng"),
            160,
        ),
        A(
            "Diễn tập phòng thủ khu vực cấp xã tại Bình Triều",
            "Cuộc diễn tập nhằm nâng cao năng lực lãnh đạo, chỉ đạo và xử lý tình huống của "
            "cấp ủy, chính quyền cơ sở.",
            (
                "Các lực lượng dân quân, công an xã thực hành xử lý tình huống bão lũ và bảo "
                "đảm an ninh trật tự.",
                "Ban chỉ đạo đánh giá cuộc diễn tập đạt mục đích, yêu cầu đề ra.",
            ),
            ("diễn tập", "quốc phòng"),
            90,
        ),
        A(
            "Tăng cường bảo đảm trật tự an toàn giao thông dịp cuối năm",
            "Công an huyện tăng cường tuần tra, kiểm soát nồng độ cồn, tốc độ trên quốc lộ 1 "
            "và các tuyến đường tỉnh.",
            (
                "Người dân được khuyến cáo không điều khiển phương tiện sau khi uống rượu, bia "
                "và đội mũ bảo hiểm đúng quy cách.",
                "Mọi phản ánh về vi phạm trật tự giao thông có thể gửi đến đường dây nóng của "
                "Công an huyện.",
            ),
            ("an toàn giao thông", "an ninh"),
            5,
        ),
    ),
    C.TOURISM: (
        A(
            "Biển Bình Minh đón khách dịp hè",
            "Bãi biển Bình Minh với bờ cát dài và hàng dương xanh đang trở thành điểm đến "
            "quen thuộc của du khách trong và ngoài tỉnh.",
            (
                "Xã bố trí lực lượng cứu hộ, khu vệ sinh công cộng và niêm yết giá dịch vụ tại "
                "các điểm kinh doanh.",
                "Du khách được khuyến cáo chỉ tắm biển trong khu vực có biển báo an toàn.",
            ),
            ("biển Bình Minh", "du lịch biển"),
            170,
        ),
        A(
            "Phát triển du lịch cộng đồng gắn với làng nghề",
            "Huyện hỗ trợ các hộ dân làm dịch vụ lưu trú tại nhà, trải nghiệm làm bánh tráng "
            "và đánh bắt cá ven sông.",
            (
                "Các hộ tham gia được tập huấn kỹ năng đón tiếp, an toàn thực phẩm và giới thiệu "
                "văn hóa địa phương.",
                "Mô hình được kỳ vọng tăng thu nhập cho người dân và giữ gìn nghề truyền thống.",
            ),
            ("du lịch cộng đồng", "làng nghề"),
            70,
        ),
        A(
            "Giới thiệu các điểm đến của Thăng Bình tại hội chợ du lịch",
            "Gian hàng của huyện giới thiệu biển Bình Minh, hồ Phú Ninh và các món ăn đặc trưng.",
            (
                "Nhiều doanh nghiệp lữ hành tìm hiểu, đề xuất xây dựng tour kết nối với các "
                "điểm du lịch trong tỉnh.",
                "Ấn phẩm giới thiệu du lịch được phát hành bằng tiếng Việt và tiếng Anh.",
            ),
            ("quảng bá du lịch", "hội chợ"),
            25,
        ),
    ),
    C.LITERATURE_ARTS: (
        A(
            "Liên hoan văn nghệ quần chúng các xã, thị trấn",
            "22 đội văn nghệ tham gia với các tiết mục hát, múa, bài chòi ca ngợi quê hương.",
            (
                "Ban tổ chức trao giải nhất cho đội văn nghệ Thị trấn Hà Lam với tiết mục hát "
                "bài chòi về đổi mới nông thôn.",
                "Liên hoan là dịp để các đội giao lưu, học hỏi và phát hiện nhân tố mới.",
            ),
            ("văn nghệ", "bài chòi"),
            120,
        ),
        A(
            "Ra mắt tập thơ về quê hương Thăng Bình",
            "Tập thơ gồm 80 bài của các hội viên câu lạc bộ thơ huyện, viết về con người và "
            "cảnh sắc quê hương.",
            (
                "Buổi ra mắt có phần ngâm thơ, giao lưu giữa tác giả và bạn đọc.",
                "Tập thơ được tặng thư viện huyện và các trường học trên địa bàn.",
            ),
            ("thơ", "câu lạc bộ"),
            50,
        ),
        A(
            "Bảo tồn nghệ thuật bài chòi trong trường học",
            "Nhiều trường trung học cơ sở đưa hát bài chòi vào hoạt động ngoại khóa, giúp học "
            "sinh hiểu thêm di sản văn hóa.",
            (
                "Các nghệ nhân địa phương trực tiếp hướng dẫn học sinh cách hô, hát và chơi bài "
                "chòi.",
                "Phòng Văn hóa và Thông tin sẽ nhân rộng mô hình ra các trường khác.",
            ),
            ("bài chòi", "di sản"),
            15,
        ),
    ),
    C.ADMIN_REFORM: (
        A(
            "Thăng Bình đẩy mạnh tiếp nhận hồ sơ trực tuyến",
            "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến toàn trình tại huyện tăng rõ rệt so "
            "với năm trước.",
            (
                "Bộ phận Một cửa hướng dẫn người dân tạo tài khoản, nộp hồ sơ và thanh toán phí, "
                "lệ phí trực tuyến ngay tại quầy.",
                "Người dân có thể tra cứu tình trạng giải quyết hồ sơ bằng mã hồ sơ trên cổng "
                "dịch vụ công.",
            ),
            ("dịch vụ công trực tuyến", "Một cửa"),
            110,
        ),
        A(
            "Công bố danh mục thủ tục hành chính mới",
            "Chủ tịch UBND huyện công bố danh mục thủ tục hành chính được sửa đổi, bổ sung "
            "trong lĩnh vực hộ tịch và đất đai.",
            (
                "Danh mục được niêm yết tại Bộ phận Một cửa và đăng trên cổng dịch vụ công để "
                "người dân tiện tra cứu.",
                "Cán bộ Một cửa được tập huấn quy trình mới trước khi áp dụng.",
            ),
            ("thủ tục hành chính", "hộ tịch"),
            40,
        ),
        A(
            "Khảo sát sự hài lòng của người dân về dịch vụ hành chính công",
            "Kết quả khảo sát cho thấy đa số người dân hài lòng với thái độ phục vụ và thời "
            "gian giải quyết hồ sơ.",
            (
                "Người dân có thể đánh giá mức độ hài lòng ngay sau khi nhận kết quả, tại quầy "
                "hoặc trực tuyến.",
                "Những ý kiến chưa hài lòng được chuyển đến bộ phận liên quan để khắc phục.",
            ),
            ("cải cách hành chính", "sự hài lòng"),
            3,
        ),
    ),
    C.SCIENCE_TECHNOLOGY: (
        A(
            "Ứng dụng công nghệ tưới tiết kiệm nước cho cây trồng cạn",
            "Mô hình tưới nhỏ giọt trên cây ớt, dưa hấu giúp giảm 40% lượng nước tưới và "
            "công lao động.",
            (
                "Trạm Khuyến nông huyện hỗ trợ thiết bị và hướng dẫn kỹ thuật cho các hộ tham gia.",
                "Mô hình phù hợp với vùng đất cát ven biển thường xuyên thiếu nước mùa khô.",
            ),
            ("nông nghiệp công nghệ cao", "tưới tiết kiệm"),
            100,
        ),
        A(
            "Chuyển đổi số: 100% xã, thị trấn dùng phần mềm quản lý văn bản",
            "Văn bản đi, đến giữa huyện và các xã được gửi nhận hoàn toàn trên môi trường mạng, "
            "có ký số.",
            (
                "Việc ký số giúp rút ngắn thời gian luân chuyển văn bản và tiết kiệm chi phí in "
                "ấn.",
                "Huyện tiếp tục tập huấn kỹ năng số cho cán bộ, công chức cấp xã.",
            ),
            ("chuyển đổi số", "chữ ký số"),
            35,
        ),
        A(
            "Tổ công nghệ số cộng đồng hỗ trợ người dân cài ứng dụng định danh",
            "Các tổ công nghệ số cộng đồng đến từng thôn, khu phố hướng dẫn người dân kích "
            "hoạt tài khoản định danh điện tử.",
            (
                "Người cao tuổi được hướng dẫn cách giữ an toàn tài khoản và nhận biết tin nhắn "
                "lừa đảo.",
                "Tổ cũng hướng dẫn người dân nộp hồ sơ dịch vụ công trực tuyến bằng điện thoại.",
            ),
            ("chuyển đổi số", "định danh điện tử"),
            2,
        ),
    ),
}

SOURCE_HA_LAM = "Cổng thông tin Thị trấn Hà Lam"
SOURCE_BINH_DUONG = "Cổng thông tin xã Bình Dương"
SOURCE_BINH_MINH = "Cổng thông tin xã Bình Minh"
SOURCE_BINH_AN = "Cổng thông tin xã Bình An"
# The demo's editor of Xã Bình An (``demo.editor.binhan``) signs some of its articles.
BINH_AN_EDITOR = "Bùi Văn Tâm"

# Each commune portal: its news categories (chuyên mục), each with its articles.
COMMUNE_NEWS: dict[str, dict[str, tuple[ArticleSpec, ...]]] = {
    "20791": {
        C.CULTURE_SOCIETY: (
            A(
                "Thị trấn Hà Lam chỉnh trang đô thị đón Tết",
                "Các khu phố ra quân dọn vệ sinh, trồng hoa dọc tuyến đường Tiểu La.",
                (
                    "Hơn 300 người dân và đoàn viên tham gia, thu gom rác thải, phát quang "
                    "bụi rậm.",
                    "UBND thị trấn phát động phong trào khu phố xanh, sạch, đẹp.",
                ),
                ("đô thị", "Hà Lam"),
                80,
                source="Cổng thông tin Thị trấn Hà Lam",
            ),
            A(
                "Hà Lam khánh thành nhà văn hóa khu phố 5",
                "Công trình do Nhà nước và nhân dân cùng làm, phục vụ sinh hoạt cộng đồng.",
                (
                    "Nhà văn hóa có hội trường 150 chỗ và sân thể thao đa năng.",
                    "Người dân đóng góp ngày công và kinh phí mua sắm trang thiết bị.",
                ),
                ("văn hóa", "Hà Lam"),
                30,
                source="Cổng thông tin Thị trấn Hà Lam",
            ),
            A(
                "Thị trấn Hà Lam ra mắt câu lạc bộ dưỡng sinh người cao tuổi",
                "Câu lạc bộ có 45 hội viên, sinh hoạt vào sáng sớm hằng ngày tại công viên "
                "trung tâm.",
                (
                    "Hội viên được hướng dẫn các bài tập dưỡng sinh phù hợp với sức khỏe.",
                    "Hội Người cao tuổi thị trấn sẽ thành lập thêm câu lạc bộ ở các khu phố.",
                ),
                ("người cao tuổi", "Hà Lam"),
                6,
                source="Cổng thông tin Thị trấn Hà Lam",
            ),
        ),
        C.POLITICS: (
            A(
                "Hội đồng nhân dân Thị trấn Hà Lam tổ chức kỳ họp giữa năm",
                "Kỳ họp đánh giá kết quả thực hiện nhiệm vụ kinh tế - xã hội sáu tháng đầu năm "
                "và thông qua nghị quyết về chỉnh trang các tuyến đường nội thị.",
                (
                    "Các đại biểu quan tâm đến việc thu gom rác thải ở khu phố 6, khu phố 7 và "
                    "tình trạng lấn chiếm vỉa hè trên đường Tiểu La.",
                    "Chủ tịch UBND thị trấn tiếp thu, giao các bộ phận chuyên môn xử lý dứt điểm "
                    "trước quý IV và báo cáo kết quả tại kỳ họp cuối năm.",
                ),
                ("Hội đồng nhân dân", "Hà Lam"),
                64,
                source=SOURCE_HA_LAM,
            ),
            A(
                "Khu phố 3 tổ chức hội nghị nhân dân bàn việc chỉnh trang hẻm",
                "Người dân thống nhất đóng góp kinh phí, ngày công để lắp đèn chiếu sáng và "
                "bê tông hóa hai tuyến hẻm trong khu dân cư.",
                (
                    "Ban điều hành khu phố công khai dự toán, danh sách hộ đóng góp tại nhà văn "
                    "hóa để bà con cùng giám sát.",
                    "UBND thị trấn hỗ trợ xi măng và cử cán bộ địa chính hướng dẫn cắm mốc, "
                    "giữ đúng lộ giới.",
                ),
                ("dân chủ cơ sở", "Hà Lam"),
                18,
                source=SOURCE_HA_LAM,
            ),
        ),
        C.ECONOMY: (
            A(
                "Chợ Hà Lam hoàn thành sắp xếp lại các ngành hàng",
                "Hơn 250 tiểu thương được bố trí lại theo khu hàng tươi sống, hàng khô và quần "
                "áo, bảo đảm lối đi phòng cháy, chữa cháy.",
                (
                    "Ban quản lý chợ kẻ vạch, đánh số từng lô và niêm yết nội quy tại các cổng "
                    "ra vào.",
                    "Tiểu thương được hướng dẫn nhận thanh toán không dùng tiền mặt bằng mã QR.",
                ),
                ("chợ", "thương mại"),
                72,
                source=SOURCE_HA_LAM,
            ),
            A(
                "Hộ kinh doanh trên địa bàn thị trấn đăng ký qua mạng tăng mạnh",
                "Từ đầu năm, phần lớn hồ sơ đăng ký hộ kinh doanh tại thị trấn được nộp trực "
                "tuyến, rút ngắn thời gian đi lại của người dân.",
                (
                    "Công chức Bộ phận Một cửa hướng dẫn cách khai tờ khai, tải giấy tờ và nhận "
                    "giấy chứng nhận qua dịch vụ bưu chính.",
                    "Thị trấn khuyến khích các hộ kinh doanh mở tài khoản thanh toán và sử dụng "
                    "hóa đơn điện tử.",
                ),
                ("hộ kinh doanh", "dịch vụ công trực tuyến"),
                11,
                source=SOURCE_HA_LAM,
            ),
        ),
        C.DEFENCE_SECURITY: (
            A(
                "Ra mắt mô hình camera an ninh tại khu phố 2",
                "Tám camera được lắp tại các ngã ba, ngã tư, kết nối về trụ sở Công an thị trấn "
                "để hỗ trợ giữ gìn an ninh trật tự.",
                (
                    "Kinh phí lắp đặt do người dân và các hộ kinh doanh trong khu phố tự nguyện "
                    "đóng góp.",
                    "Công an thị trấn sẽ nhân rộng mô hình tại các khu phố có đông người qua lại.",
                ),
                ("an ninh trật tự", "Hà Lam"),
                58,
                source=SOURCE_HA_LAM,
            ),
            A(
                "Huấn luyện dân quân tự vệ năm nay",
                "Lực lượng dân quân thị trấn hoàn thành chương trình huấn luyện chính trị, điều "
                "lệnh và kỹ thuật cứu hộ, cứu nạn.",
                (
                    "Kiểm tra kết thúc huấn luyện, 100% chiến sĩ đạt yêu cầu, trong đó 70% đạt "
                    "khá, giỏi.",
                    "Ban Chỉ huy Quân sự thị trấn chuẩn bị lực lượng, phương tiện sẵn sàng ứng "
                    "phó mùa mưa bão.",
                ),
                ("dân quân tự vệ", "quốc phòng"),
                26,
                source=SOURCE_HA_LAM,
            ),
        ),
        C.ADMIN_REFORM: (
            A(
                "Thị trấn Hà Lam trả kết quả hộ tịch trong ngày",
                "Các thủ tục đăng ký khai sinh, kết hôn, chứng thực bản sao được giải quyết và "
                "trả kết quả ngay trong ngày tiếp nhận.",
                (
                    "Người dân có thể đặt lịch hẹn trước trên cổng dịch vụ công để không phải "
                    "chờ đợi tại quầy.",
                    "Kết quả khảo sát gần nhất cho thấy người dân hài lòng với thái độ phục vụ "
                    "của công chức một cửa.",
                ),
                ("hộ tịch", "Một cửa"),
                47,
                source=SOURCE_HA_LAM,
            ),
            A(
                "Niêm yết mã QR tra cứu thủ tục hành chính tại khu phố",
                "Mỗi nhà văn hóa khu phố được dán bảng mã QR dẫn đến danh mục thủ tục hành "
                "chính và trang tra cứu hồ sơ.",
                (
                    "Người dân quét mã bằng điện thoại để xem thành phần hồ sơ, lệ phí và thời "
                    "hạn giải quyết trước khi đến nộp.",
                    "Tổ công nghệ số cộng đồng hỗ trợ người cao tuổi thao tác lần đầu.",
                ),
                ("cải cách hành chính", "chuyển đổi số"),
                7,
                source=SOURCE_HA_LAM,
            ),
        ),
    },
    "20794": {
        C.ECONOMY: (
            A(
                "Bình Dương mở rộng diện tích nuôi tôm an toàn sinh học",
                "Hợp tác xã hướng dẫn người nuôi xử lý nước, giám sát dịch bệnh bằng nhật ký "
                "điện tử.",
                (
                    "Mô hình giúp giảm rủi ro dịch bệnh và nâng cao giá bán tôm thương phẩm.",
                    "Xã khuyến khích các hộ liên kết tiêu thụ với doanh nghiệp chế biến.",
                ),
                ("thủy sản", "Bình Dương"),
                95,
                source="Cổng thông tin xã Bình Dương",
            ),
            A(
                "Xã Bình Dương hoàn thành bê tông hóa đường thôn",
                "Hơn 4 km đường giao thông nông thôn được bê tông hóa theo phương châm Nhà nước "
                "và nhân dân cùng làm.",
                (
                    "Nhiều hộ tự nguyện hiến đất, dời hàng rào để mở rộng mặt đường.",
                    "Tuyến đường mới giúp việc vận chuyển nông sản thuận lợi hơn.",
                ),
                ("nông thôn mới", "Bình Dương"),
                40,
                source="Cổng thông tin xã Bình Dương",
            ),
            A(
                "Bình Dương tổ chức phiên chợ nông sản sạch",
                "Phiên chợ giới thiệu rau an toàn, hải sản khô và sản phẩm OCOP của xã.",
                (
                    "Người mua được kiểm tra nguồn gốc sản phẩm bằng mã QR trên bao bì.",
                    "Xã dự kiến tổ chức phiên chợ định kỳ vào Chủ nhật đầu tháng.",
                ),
                ("OCOP", "Bình Dương"),
                9,
                source="Cổng thông tin xã Bình Dương",
            ),
        ),
        C.POLITICS: (
            A(
                "Đảng bộ xã Bình Dương sơ kết nghị quyết sáu tháng đầu năm",
                "Các chỉ tiêu về thu ngân sách, giao thông nông thôn và giảm nghèo đều đạt và "
                "vượt tiến độ đề ra.",
                (
                    "Hội nghị chỉ ra những hạn chế trong chuyển đổi cơ cấu cây trồng ở vùng đất "
                    "cát và việc quản lý đất công ích.",
                    "Đảng ủy xã yêu cầu các chi bộ thôn cụ thể hóa nhiệm vụ thành chương trình "
                    "hành động của từng tháng.",
                ),
                ("xây dựng Đảng", "Bình Dương"),
                66,
                source=SOURCE_BINH_DUONG,
            ),
            A(
                "Đại biểu Hội đồng nhân dân xã tiếp xúc cử tri thôn 4",
                "Cử tri đề nghị sớm sửa chữa cống thoát nước trên tuyến đường liên thôn và hỗ "
                "trợ ngư dân sửa chữa tàu thuyền.",
                (
                    "Các ý kiến thuộc thẩm quyền của xã được trả lời trực tiếp tại hội nghị; ý "
                    "kiến thuộc thẩm quyền cấp trên được tổng hợp gửi Thường trực HĐND huyện.",
                    "UBND xã cam kết khắc phục cống thoát nước trước mùa mưa.",
                ),
                ("tiếp xúc cử tri", "Bình Dương"),
                21,
                source=SOURCE_BINH_DUONG,
            ),
        ),
        C.CULTURE_SOCIETY: (
            A(
                "Bình Dương trao nhà tình nghĩa cho gia đình chính sách",
                "Căn nhà rộng 60 m² được xây dựng từ nguồn vận động của Ủy ban Mặt trận Tổ quốc "
                "xã và ngày công của đoàn viên thanh niên.",
                (
                    "Đây là căn nhà thứ ba được xã bàn giao trong năm cho các hộ gia đình chính "
                    "sách có hoàn cảnh khó khăn.",
                    "Xã tiếp tục rà soát, hỗ trợ sửa chữa nhà ở cho người có công trước mùa mưa "
                    "bão.",
                ),
                ("an sinh xã hội", "nhà tình nghĩa"),
                54,
                source=SOURCE_BINH_DUONG,
            ),
            A(
                "Khai mạc giải bóng chuyền nam nữ các thôn",
                "Tám đội bóng tham gia thi đấu vòng tròn tại sân vận động trung tâm xã trong "
                "ba ngày cuối tuần.",
                (
                    "Giải đấu thu hút đông đảo người dân đến cổ vũ, góp phần đẩy mạnh phong trào "
                    "rèn luyện thân thể.",
                    "Đội bóng chuyền nam thôn 2 và đội nữ thôn 5 giành chức vô địch.",
                ),
                ("thể thao", "Bình Dương"),
                14,
                source=SOURCE_BINH_DUONG,
            ),
        ),
        C.DEFENCE_SECURITY: (
            A(
                "Tổ tự quản an ninh trật tự trên biển ra mắt",
                "Hai mươi chủ tàu cá tham gia tổ tự quản, cam kết chấp hành quy định về khai "
                "thác hải sản và hỗ trợ nhau khi gặp nạn.",
                (
                    "Đồn Biên phòng phối hợp với xã hướng dẫn ngư dân lắp và duy trì thiết bị "
                    "giám sát hành trình.",
                    "Tổ tự quản sẽ kịp thời thông báo các tình huống bất thường trên biển cho "
                    "lực lượng chức năng.",
                ),
                ("an ninh biển", "ngư dân"),
                78,
                source=SOURCE_BINH_DUONG,
            ),
            A(
                "Xã Bình Dương diễn tập phòng chống bão và tìm kiếm cứu nạn",
                "Các lực lượng thực hành sơ tán dân, neo đậu tàu thuyền và cứu hộ người bị nạn "
                "theo tình huống giả định bão mạnh đổ bộ.",
                (
                    "Cuộc diễn tập giúp các thôn rà soát lại phương án bốn tại chỗ và danh sách "
                    "hộ cần sơ tán.",
                    "Ban Chỉ huy phòng chống thiên tai xã đề nghị người dân gia cố nhà cửa trước "
                    "mùa mưa bão.",
                ),
                ("phòng chống thiên tai", "diễn tập"),
                16,
                source=SOURCE_BINH_DUONG,
            ),
        ),
    },
    "20812": {
        C.TOURISM: (
            A(
                "Bình Minh tập huấn kỹ năng làm du lịch cho ngư dân",
                "Ba mươi hộ ngư dân học cách đón khách trải nghiệm kéo lưới, nấu món ăn biển.",
                (
                    "Học viên được hướng dẫn an toàn đường thủy và giữ vệ sinh bãi biển.",
                    "Xã hỗ trợ kết nối các hộ với doanh nghiệp lữ hành.",
                ),
                ("du lịch cộng đồng", "Bình Minh"),
                85,
                source="Cổng thông tin xã Bình Minh",
            ),
            A(
                "Ra quân làm sạch bãi biển Bình Minh",
                "Đoàn viên, học sinh và người dân thu gom gần hai tấn rác thải nhựa dọc bờ biển.",
                (
                    "Xã đặt thêm thùng rác phân loại tại các lối xuống biển.",
                    "Phong trào Chủ nhật xanh được duy trì hằng tháng.",
                ),
                ("môi trường", "Bình Minh"),
                35,
                source="Cổng thông tin xã Bình Minh",
            ),
            A(
                "Bình Minh công bố bảng giá dịch vụ du lịch mùa hè",
                "Các điểm kinh doanh niêm yết giá dịch vụ ghế, dù, tắm nước ngọt và gửi xe.",
                (
                    "Du khách có thể phản ánh việc không niêm yết giá qua số điện thoại của "
                    "UBND xã.",
                    "Tổ kiểm tra liên ngành sẽ kiểm tra định kỳ các điểm kinh doanh.",
                ),
                ("giá dịch vụ", "Bình Minh"),
                4,
                source="Cổng thông tin xã Bình Minh",
            ),
        ),
        C.POLITICS: (
            A(
                "Hội đồng nhân dân xã Bình Minh giám sát công tác quản lý bãi biển",
                "Đoàn giám sát kiến nghị UBND xã quy hoạch lại khu vực kinh doanh dịch vụ và "
                "tăng cường kiểm tra vệ sinh môi trường.",
                (
                    "Qua giám sát, nhiều điểm kinh doanh đã niêm yết giá nhưng chưa bố trí đủ "
                    "thùng rác và nhà vệ sinh công cộng.",
                    "UBND xã tiếp thu và đề ra lộ trình khắc phục trước cao điểm du lịch.",
                ),
                ("giám sát", "Bình Minh"),
                61,
                source=SOURCE_BINH_MINH,
            ),
            A(
                "Mặt trận xã Bình Minh tổ chức Ngày hội Đại đoàn kết ở thôn 3",
                "Ngày hội có phần tuyên dương các gia đình văn hóa tiêu biểu, trao quà cho hộ "
                "nghèo và giao lưu văn nghệ.",
                (
                    "Người dân trong thôn cùng nhau gói bánh, thi kéo co và nấu các món ăn đặc "
                    "trưng của vùng biển.",
                    "Ban công tác Mặt trận thôn vận động được hơn 30 triệu đồng cho quỹ vì người "
                    "nghèo.",
                ),
                ("đại đoàn kết", "Mặt trận"),
                10,
                source=SOURCE_BINH_MINH,
            ),
        ),
        C.ECONOMY: (
            A(
                "Ngư dân Bình Minh trúng mùa cá cơm",
                "Những chuyến biển đầu mùa, mỗi tàu thu về từ 1 đến 2 tấn cá cơm, giá bán ổn "
                "định tại bến.",
                (
                    "Các cơ sở chế biến nước mắm, cá khô trong xã tăng ca để kịp thu mua cho bà "
                    "con ngư dân.",
                    "Xã khuyến cáo ngư dân không sử dụng lưới có mắt lưới nhỏ hơn quy định để "
                    "bảo vệ nguồn lợi thủy sản.",
                ),
                ("thủy sản", "Bình Minh"),
                69,
                source=SOURCE_BINH_MINH,
            ),
            A(
                "Hợp tác xã Bình Minh đưa nước mắm truyền thống lên sàn thương mại điện tử",
                "Sản phẩm nước mắm cá cơm của hợp tác xã có mã truy xuất nguồn gốc và đã nhận "
                "đơn hàng từ nhiều tỉnh, thành.",
                (
                    "Hợp tác xã được huyện hỗ trợ thiết kế nhãn mác, chụp ảnh sản phẩm và đào tạo "
                    "kỹ năng bán hàng trực tuyến.",
                    "Mục tiêu năm nay là sản phẩm được công nhận OCOP 3 sao.",
                ),
                ("OCOP", "thương mại điện tử"),
                19,
                source=SOURCE_BINH_MINH,
            ),
        ),
        C.CULTURE_SOCIETY: (
            A(
                "Lễ hội cầu ngư xã Bình Minh",
                "Lễ hội được tổ chức trang trọng với phần lễ tại lăng Ông và phần hội đua "
                "thuyền, hát bả trạo của ngư dân.",
                (
                    "Lễ hội thể hiện ước vọng trời yên biển lặng, mùa cá bội thu của cư dân "
                    "vùng biển.",
                    "Nhiều du khách đến tham dự, tìm hiểu nét văn hóa truyền thống của làng biển.",
                ),
                ("lễ hội", "văn hóa biển"),
                102,
                source=SOURCE_BINH_MINH,
            ),
            A(
                "Dạy bơi miễn phí cho trẻ em trong dịp hè",
                "Hơn 80 em học sinh được hướng dẫn kỹ năng bơi an toàn và cách phòng tránh "
                "đuối nước.",
                (
                    "Lớp học do Đoàn Thanh niên xã phối hợp với đội cứu hộ bãi biển tổ chức tại "
                    "khu vực nước nông có phao giới hạn.",
                    "Phụ huynh được khuyến cáo không để trẻ tắm biển một mình.",
                ),
                ("phòng chống đuối nước", "trẻ em"),
                38,
                source=SOURCE_BINH_MINH,
            ),
        ),
        C.DEFENCE_SECURITY: (
            A(
                "Công an xã Bình Minh bảo đảm an ninh trật tự mùa du lịch",
                "Lực lượng công an xã tăng cường tuần tra dọc bãi biển, hướng dẫn du khách "
                "gửi xe đúng nơi quy định.",
                (
                    "Các trường hợp chèo kéo khách, bán hàng rong sai quy định được nhắc nhở và "
                    "xử lý kịp thời.",
                    "Du khách cần hỗ trợ có thể gọi số điện thoại trực ban niêm yết tại các lối "
                    "xuống biển.",
                ),
                ("an ninh trật tự", "du lịch"),
                44,
                source=SOURCE_BINH_MINH,
            ),
            A(
                "Xã Bình Minh đăng ký nghĩa vụ quân sự cho thanh niên tuổi 17",
                "Các thôn tổ chức đăng ký nghĩa vụ quân sự lần đầu cho nam công dân đủ 17 "
                "tuổi theo đúng quy định.",
                (
                    "Ban Chỉ huy Quân sự xã tuyên truyền để thanh niên hiểu rõ quyền lợi, nghĩa "
                    "vụ và chính sách hậu phương quân đội.",
                    "Công dân chưa đăng ký đúng hạn cần liên hệ Ban Chỉ huy Quân sự xã để được "
                    "hướng dẫn.",
                ),
                ("nghĩa vụ quân sự", "quốc phòng"),
                3,
                source=SOURCE_BINH_MINH,
            ),
        ),
    },
    "20845": {
        C.ECONOMY: (
            A(
                "Bình An xuống giống vụ hè thu đúng lịch thời vụ",
                "Toàn xã gieo sạ gần 420 ha lúa vụ hè thu, hơn 80% diện tích dùng giống xác "
                "nhận, xong trước khung lịch thời vụ của huyện ba ngày.",
                (
                    "Hợp tác xã dịch vụ nông nghiệp Bình An bố trí máy làm đất và điều tiết "
                    "nước tưới theo từng cánh đồng để bà con gieo sạ tập trung, hạn chế sâu "
                    "bệnh lây lan giữa các trà lúa.",
                    "Cán bộ khuyến nông xã khuyến cáo người dân thăm đồng thường xuyên, bón "
                    "phân cân đối và chỉ phun thuốc khi mật độ sâu hại vượt ngưỡng.",
                ),
                ("nông nghiệp", "Bình An"),
                150,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Cánh đồng rau an toàn thôn 3 cho thu nhập ổn định",
                "Trên vùng đất cát pha ven làng, 35 hộ dân thôn 3 trồng rau theo quy trình an "
                "toàn, mỗi sào cho lãi từ 8 đến 10 triệu đồng một vụ.",
                (
                    "Nhờ hệ thống tưới phun mưa và nhà lưới do xã hỗ trợ một phần kinh phí, bà "
                    "con trồng được rau quanh năm, kể cả những tháng nắng nóng, khô hạn.",
                    "Rau của tổ hợp tác được một số bếp ăn trường học và cửa hàng thực phẩm ở "
                    "Thị trấn Hà Lam bao tiêu; xã đang hướng dẫn tổ đăng ký mã số vùng trồng.",
                ),
                ("rau an toàn", "Bình An"),
                85,
                author=BINH_AN_EDITOR,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Chuyển gần 15 ha đất lúa kém hiệu quả sang trồng ngô, đậu phộng",
                "Những chân ruộng cao, thường thiếu nước vào vụ hè thu được chuyển sang cây "
                "trồng cạn, giúp người dân giảm chi phí và tăng thu nhập.",
                (
                    "UBND xã hỗ trợ giống ngô lai và phân bón hữu cơ cho các hộ đăng ký chuyển "
                    "đổi đúng kế hoạch, không làm biến dạng mặt ruộng để khi cần vẫn trồng lúa "
                    "trở lại được.",
                    "Sau thu hoạch, thân cây ngô được ủ chua làm thức ăn cho đàn bò, khép kín "
                    "vòng sản xuất ngay trong nông hộ.",
                ),
                ("chuyển đổi cây trồng", "nông nghiệp"),
                12,
                source=SOURCE_BINH_AN,
            ),
        ),
        C.POLITICS: (
            A(
                "Hội đồng nhân dân xã Bình An chất vấn về thu gom rác thải",
                "Tại kỳ họp thường lệ, nhiều đại biểu chất vấn việc thu gom rác chưa đều ở "
                "các thôn xa trung tâm và tiến độ xây dựng điểm tập kết rác.",
                (
                    "Phó Chủ tịch UBND xã giải trình, nhận trách nhiệm và cam kết tăng thêm một "
                    "chuyến thu gom mỗi tuần tại thôn 6, thôn 7 kể từ tháng tới.",
                    "Kỳ họp thông qua nghị quyết điều chỉnh dự toán ngân sách xã và danh mục "
                    "công trình giao thông nông thôn sẽ khởi công trong năm.",
                ),
                ("Hội đồng nhân dân", "Bình An"),
                70,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Mặt trận Tổ quốc xã Bình An lấy ý kiến Nhân dân về hoạt động của chính quyền",
                "Hơn 500 phiếu khảo sát được gửi đến các hộ gia đình để người dân đánh giá "
                "cán bộ, công chức và việc giải quyết kiến nghị ở cơ sở.",
                (
                    "Ủy ban Mặt trận Tổ quốc Việt Nam xã tổng hợp kết quả, chuyển các ý kiến "
                    "phản ánh đến UBND xã và công khai tại hội nghị đối thoại cuối năm.",
                    "Lần này xã thêm hình thức góp ý qua mã QR, để thanh niên và người đi làm "
                    "ăn xa cũng tham gia được.",
                ),
                ("dân chủ cơ sở", "Mặt trận Tổ quốc"),
                24,
                source=SOURCE_BINH_AN,
            ),
        ),
        C.CULTURE_SOCIETY: (
            A(
                "Ấm áp Ngày hội Đại đoàn kết toàn dân tộc ở thôn 2",
                "Người dân thôn 2 cùng gói bánh, thi kéo co và trao quà cho các hộ khó khăn "
                "trong không khí đầm ấm của ngày hội.",
                (
                    "Dịp này, Ban công tác Mặt trận thôn biểu dương 12 gia đình văn hóa tiêu "
                    "biểu và những hộ tự nguyện hiến đất mở rộng đường làng.",
                    "Lãnh đạo xã mong bà con tiếp tục giữ tình làng nghĩa xóm, chung tay xây "
                    "dựng khu dân cư an toàn, sạch đẹp.",
                ),
                ("đại đoàn kết", "văn hóa"),
                160,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Trạm Y tế xã Bình An khám sàng lọc miễn phí cho người cao tuổi",
                "Hơn 300 người từ 60 tuổi trở lên được đo huyết áp, xét nghiệm đường máu và "
                "tư vấn chế độ dinh dưỡng.",
                (
                    "Những trường hợp phát hiện tăng huyết áp, đái tháo đường được lập hồ sơ "
                    "theo dõi và điều trị ngoại trú theo chế độ bảo hiểm y tế.",
                    "Trạm Y tế đề nghị người cao tuổi khám sức khỏe định kỳ sáu tháng một lần và "
                    "mang theo thẻ bảo hiểm y tế khi đến trạm.",
                ),
                ("y tế", "người cao tuổi"),
                48,
                author=BINH_AN_EDITOR,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Khai trương tủ sách cộng đồng tại nhà văn hóa xã",
                "Tủ sách có gần 1.200 cuốn về kỹ thuật nông nghiệp, pháp luật và văn học "
                "thiếu nhi, mở cửa các buổi chiều trong tuần.",
                (
                    "Sách do Đoàn Thanh niên vận động các trường học, doanh nghiệp và người con "
                    "quê hương làm ăn xa đóng góp.",
                    "Học sinh được mượn sách về nhà trong một tuần; người dân đăng ký mượn qua "
                    "trưởng thôn hoặc trực tiếp tại nhà văn hóa.",
                ),
                ("văn hóa đọc", "thanh niên"),
                6,
                source=SOURCE_BINH_AN,
            ),
        ),
        C.DEFENCE_SECURITY: (
            A(
                "Ra mắt Tổ bảo vệ an ninh, trật tự ở cơ sở xã Bình An",
                "Bảy tổ với 21 thành viên được thành lập tại các thôn, hỗ trợ Công an xã nắm "
                "tình hình, hòa giải mâu thuẫn và giữ gìn trật tự.",
                (
                    "Các thành viên được tập huấn kiến thức pháp luật, kỹ năng tuần tra và cách "
                    "tiếp nhận tin báo của người dân.",
                    "Người dân phát hiện vụ việc bất thường báo ngay cho tổ trưởng ở thôn hoặc "
                    "số điện thoại trực ban của Công an xã niêm yết tại nhà văn hóa.",
                ),
                ("an ninh trật tự", "Bình An"),
                115,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Bình An nhân rộng mô hình tổ liên gia an toàn phòng cháy, chữa cháy",
                "Mỗi tổ gồm 10 hộ liền kề, có bình chữa cháy dùng chung và danh sách số điện "
                "thoại để báo tin cho nhau khi có sự cố.",
                (
                    "Công an xã hướng dẫn các hộ sử dụng bình chữa cháy, ngắt điện an toàn và "
                    "thoát nạn khi cháy xảy ra ban đêm.",
                    "Người dân được nhắc không đốt rơm rạ, thực bì gần khu dân cư vào những ngày "
                    "nắng nóng, gió lớn.",
                ),
                ("phòng cháy chữa cháy", "an ninh trật tự"),
                30,
                source=SOURCE_BINH_AN,
            ),
        ),
        C.ADMIN_REFORM: (
            A(
                "Bộ phận Một cửa xã Bình An trả kết quả đúng hạn hơn 99% hồ sơ",
                "Sáu tháng đầu năm, Bộ phận Một cửa xã tiếp nhận 1.246 hồ sơ thủ tục hành "
                "chính, trong đó 1.236 hồ sơ được trả kết quả đúng hoặc trước hạn.",
                (
                    "Chứng thực và hộ tịch là hai lĩnh vực có nhiều hồ sơ nhất; số hồ sơ nộp "
                    "trực tuyến tăng gấp đôi so với cùng kỳ năm trước.",
                    "Mười hồ sơ trễ hạn đều có văn bản xin lỗi người dân và hẹn lại ngày trả "
                    "kết quả; xã đã chấn chỉnh việc luân chuyển hồ sơ giữa các bộ phận.",
                ),
                ("Một cửa", "cải cách hành chính"),
                95,
                source=SOURCE_BINH_AN,
            ),
            A(
                "Đoàn viên hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa",
                "Sáng thứ Hai và thứ Năm hằng tuần, hai đoàn viên trực tại Bộ phận Một cửa "
                "giúp người dân dùng điện thoại để nộp hồ sơ và thanh toán lệ phí.",
                (
                    "Nhiều người lần đầu tự đăng ký khai sinh, xin xác nhận tình trạng hôn nhân "
                    "trên cổng dịch vụ công mà không phải viết tờ khai giấy.",
                    "UBND xã ghi nhận những bước người dân còn thấy khó để kiến nghị cấp trên "
                    "đơn giản hóa.",
                ),
                ("dịch vụ công trực tuyến", "thanh niên"),
                40,
                author=BINH_AN_EDITOR,
                source=SOURCE_BINH_AN,
            ),
            A(
                "96% lượt đánh giá hài lòng với Bộ phận Một cửa xã trong tháng",
                "Người dân đánh giá ngay khi nhận kết quả, tại quầy hoặc trực tuyến bằng mã hồ "
                "sơ ghi trên giấy tiếp nhận.",
                (
                    "Các lượt đánh giá chưa hài lòng được lãnh đạo UBND xã xem xét; công chức "
                    "liên quan phải giải trình và khắc phục.",
                    "Kết quả đánh giá hằng tháng được niêm yết tại Bộ phận Một cửa và đăng trên "
                    "cổng thông tin của xã.",
                ),
                ("sự hài lòng", "Một cửa"),
                4,
                source=SOURCE_BINH_AN,
            ),
        ),
    },
}

HISTORY_PARAGRAPHS = (
    "Thăng Bình là vùng đất có bề dày lịch sử, nằm ở phía bắc tỉnh Quảng Nam, phía đông giáp "
    "biển, phía tây giáp vùng trung du. Người dân nơi đây nổi tiếng cần cù, hiếu học.",
    "Trải qua các cuộc kháng chiến, quân và dân Thăng Bình đã đóng góp nhiều sức người, sức "
    "của; nhiều xã được phong tặng danh hiệu Anh hùng Lực lượng vũ trang nhân dân.",
    "Ngày nay, huyện có 1 thị trấn và 21 xã, phát triển kinh tế nông nghiệp, công nghiệp "
    "nhẹ, thương mại và du lịch biển.",
)

# Street names of Thị trấn Hà Lam (a structured list; sections written for the demo).
HA_LAM_STREETS: tuple[tuple[str, str], ...] = (
    ("Tiểu La", "Từ cầu Hà Lam đến ngã ba Chợ Được; trục chính của thị trấn."),
    ("Hùng Vương", "Từ đường Tiểu La đến khu hành chính huyện."),
    ("Nguyễn Văn Trỗi", "Từ đường Hùng Vương đến Trường Trung học phổ thông Tiểu La."),
    ("Lê Lợi", "Từ chợ Hà Lam đến khu phố 4."),
    ("Trần Phú", "Từ đường Tiểu La đến bến xe Hà Lam."),
    ("Phan Châu Trinh", "Từ đường Lê Lợi đến nhà văn hóa thị trấn."),
)

SPOKESPERSONS: dict[str, tuple[str, str, str, str]] = {
    DISTRICT_CODE: (
        "Nguyễn Văn An",
        "Chánh Văn phòng HĐND và UBND huyện",
        "0235 3874 000",
        "vanphong@thangbinh.example.vn",
    ),
    "20791": (
        "Trần Thị Bình",
        "Phó Chủ tịch UBND Thị trấn Hà Lam",
        "0235 3874 101",
        "halam@thangbinh.example.vn",
    ),
    "20794": (
        "Lê Văn Cường",
        "Chủ tịch UBND xã Bình Dương",
        "0235 3874 102",
        "binhduong@thangbinh.example.vn",
    ),
    "20812": (
        "Phạm Thị Dung",
        "Phó Chủ tịch UBND xã Bình Minh",
        "0235 3874 103",
        "binhminh@thangbinh.example.vn",
    ),
    "20845": (
        "Lê Thị Thu Hiền",
        "Phó Chủ tịch UBND xã Bình An",
        "0235 3874 104",
        "binhan@thangbinh.example.vn",
    ),
}

EXTERNAL_LINKS: tuple[tuple[str, str], ...] = (
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
    ("Cổng thông tin điện tử tỉnh Quảng Nam", "https://quangnam.gov.vn/"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"),
)

OFFICE_HOURS = "Sáng 7 giờ 00 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ 00, thứ Hai – thứ Sáu"
CONTACT = {
    "address": "Số 1 đường Tiểu La, Thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam",
    "phone": "0235 3874 000",
    "fax": "0235 3874 001",
    "email": "ubnd@thangbinh.example.vn",
    "office_hours": OFFICE_HOURS,
}


@dataclass(frozen=True)
class CommuneProfile:
    """A commune portal's own words: its home page's greeting (``intro``), the paragraphs
    of its "Giới thiệu" page (``about``) and the People's Committee's contact details (home
    page and "Liên hệ" page)."""

    intro: str
    about: tuple[str, ...]
    address: str
    phone: str
    email: str
    office_hours: str = OFFICE_HOURS


COMMUNE_PROFILES: dict[str, CommuneProfile] = {
    "20791": CommuneProfile(
        "Cổng thông tin điện tử Thị trấn Hà Lam, cổng thành viên của Cổng thông tin điện tử "
        "huyện Thăng Bình: tin tức, văn bản chỉ đạo điều hành và thông tin phục vụ người dân, "
        "hộ kinh doanh trên địa bàn thị trấn.",
        (
            "Thị trấn Hà Lam là huyện lỵ của huyện Thăng Bình, nơi đặt trụ sở các cơ quan của "
            "huyện, gồm 7 khu phố.",
            "Kinh tế thị trấn chủ yếu là thương mại, dịch vụ và tiểu thủ công nghiệp; chợ Hà "
            "Lam là nơi trao đổi hàng hóa của người dân các xã lân cận.",
            "Thị trấn tập trung chỉnh trang đô thị, xây dựng các tuyến đường văn minh, giữ gìn "
            "vệ sinh môi trường và trật tự lòng đường, vỉa hè.",
        ),
        "Đường Tiểu La, khu phố 3, Thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam",
        "0235 3874 201",
        "halam@thangbinh.example.vn",
    ),
    "20794": CommuneProfile(
        "Cổng thông tin điện tử xã Bình Dương, cổng thành viên của Cổng thông tin điện tử "
        "huyện Thăng Bình: tin tức, văn bản chỉ đạo điều hành và thông tin phục vụ Nhân dân "
        "trong xã.",
        (
            "Xã Bình Dương là xã ven biển ở phía đông huyện Thăng Bình, gồm 6 thôn.",
            "Người dân sống chủ yếu bằng nghề đánh bắt, nuôi trồng thủy sản và trồng rau màu "
            "trên đất cát ven biển.",
            "Xã đang nâng chất các tiêu chí nông thôn mới, phát triển nuôi tôm an toàn sinh "
            "học và bảo vệ rừng phòng hộ ven biển.",
        ),
        "Thôn 3, xã Bình Dương, huyện Thăng Bình, tỉnh Quảng Nam",
        "0235 3874 202",
        "binhduong@thangbinh.example.vn",
    ),
    "20812": CommuneProfile(
        "Cổng thông tin điện tử xã Bình Minh, cổng thành viên của Cổng thông tin điện tử "
        "huyện Thăng Bình: tin tức, văn bản chỉ đạo điều hành, thông tin du lịch biển và dịch "
        "vụ công của xã.",
        (
            "Xã Bình Minh là xã ven biển ở phía đông huyện Thăng Bình, gồm 5 thôn, có bãi biển "
            "dài với những hàng dương xanh.",
            "Bên cạnh nghề biển truyền thống, du lịch biển và du lịch cộng đồng đang trở thành "
            "hướng phát triển mới của xã.",
            "Xã chú trọng giữ gìn vệ sinh bãi biển, bảo đảm an toàn cho du khách và hỗ trợ ngư "
            "dân chuyển đổi sinh kế.",
        ),
        "Thôn 2, xã Bình Minh, huyện Thăng Bình, tỉnh Quảng Nam",
        "0235 3874 203",
        "binhminh@thangbinh.example.vn",
    ),
    "20845": CommuneProfile(
        "Cổng thông tin điện tử xã Bình An, cổng thành viên của Cổng thông tin điện tử huyện "
        "Thăng Bình: tin tức, văn bản chỉ đạo điều hành, chuyên đề và kết quả giải quyết thủ "
        "tục hành chính của xã.",
        (
            "Xã Bình An là xã nông nghiệp thuộc vùng đồng bằng ven biển của huyện Thăng Bình, "
            "tỉnh Quảng Nam, gồm 7 thôn; đất đai chủ yếu là ruộng lúa hai vụ và đất cát pha "
            "thích hợp với rau màu.",
            "Phần lớn người dân sống bằng nghề trồng lúa, rau màu và chăn nuôi bò, heo; nhiều "
            "thanh niên làm việc tại các cụm công nghiệp trong huyện hoặc đi làm ăn xa.",
            "Xã đã đạt chuẩn nông thôn mới và đang phấn đấu đạt chuẩn nông thôn mới nâng cao, "
            "chú trọng nâng thu nhập, giữ gìn môi trường, an ninh trật tự và cải cách hành "
            "chính.",
            "Người dân làm thủ tục hành chính tại Bộ phận Một cửa ở trụ sở UBND xã trong giờ "
            "làm việc, hoặc nộp hồ sơ trực tuyến trên cổng dịch vụ công.",
        ),
        "Thôn 4, xã Bình An, huyện Thăng Bình, tỉnh Quảng Nam",
        "0235 3874 204",
        "binhan@thangbinh.example.vn",
    ),
}


# --- Topics (chuyên đề) -------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSpec:
    """A topical section: its period is counted from today (``ends_days_ago`` < 0: ends in
    the future; None: no end date)."""

    title: str
    lead: str
    paragraphs: tuple[str, ...]
    starts_days_ago: int
    ends_days_ago: int | None
    articles: tuple[ArticleSpec, ...]


NEW_COUNTRYSIDE = "Xây dựng Nông thôn mới"
CONSTITUTION_CONTEST = "Cuộc thi tìm hiểu Hiến pháp 2013"
# The rural programme is open (until about five months from today); the contest is over.
_NTM_PERIOD = (300, -150)
_CONTEST_PERIOD = (210, 120)
SOURCE_DISTRICT = "Cổng thông tin điện tử huyện Thăng Bình"


def _topics(
    unit: str,
    source: str,
    ntm: tuple[ArticleSpec, ...],
    contest: tuple[ArticleSpec, ...],
) -> tuple[TopicSpec, TopicSpec]:
    return (
        TopicSpec(
            NEW_COUNTRYSIDE,
            f"Chuyên đề về phong trào chung sức xây dựng nông thôn mới tại {unit}: kết quả "
            "từng tiêu chí, mô hình hay, gương người tốt việc tốt.",
            (
                "Xây dựng nông thôn mới là nhiệm vụ của cả hệ thống chính trị và của mỗi người "
                "dân. Chuyên đề đăng tải kế hoạch, tiến độ thực hiện các tiêu chí và những mô "
                "hình được người dân đồng tình, hưởng ứng.",
                "Mọi ý kiến đóng góp, phản ánh về việc thực hiện chương trình xin gửi về Văn "
                f"phòng UBND {unit} hoặc qua mục Liên hệ của cổng thông tin.",
            ),
            *_NTM_PERIOD,
            tuple(_with_source(a, source) for a in ntm),
        ),
        TopicSpec(
            CONSTITUTION_CONTEST,
            "Cuộc thi tìm hiểu Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013 "
            f"dành cho cán bộ, đảng viên và Nhân dân {unit}.",
            (
                "Cuộc thi nhằm đưa Hiến pháp đến với mọi người dân, nâng cao ý thức tôn trọng, "
                "chấp hành Hiến pháp và pháp luật. Người dự thi trả lời câu hỏi trắc nghiệm và "
                "câu hỏi dự đoán số người tham gia.",
                "Cuộc thi đã kết thúc; chuyên đề được lưu lại để người dân tra cứu thể lệ, kết "
                "quả và danh sách đoạt giải.",
            ),
            *_CONTEST_PERIOD,
            tuple(_with_source(a, source) for a in contest),
        ),
    )


def _with_source(article: ArticleSpec, source: str) -> ArticleSpec:
    return ArticleSpec(
        article.title,
        article.lead,
        article.paragraphs,
        article.tags,
        article.days_ago,
        article.author,
        source,
    )


TOPICS: dict[str, tuple[TopicSpec, TopicSpec]] = {
    DISTRICT_CODE: _topics(
        "huyện Thăng Bình",
        SOURCE_DISTRICT,
        (
            A(
                "Thăng Bình phấn đấu đạt chuẩn huyện nông thôn mới",
                "Huyện đặt mục tiêu hoàn thành các tiêu chí huyện nông thôn mới, trong đó tập "
                "trung vào giao thông, thủy lợi và môi trường.",
                (
                    "Ban Chỉ đạo các chương trình mục tiêu quốc gia huyện phân công từng thành "
                    "viên phụ trách xã, theo dõi tiến độ hằng tháng.",
                    "Nguồn lực được ưu tiên cho các tiêu chí còn khó như thu nhập, nước sạch và "
                    "xử lý chất thải rắn ở khu dân cư.",
                ),
                ("nông thôn mới", "Ban Chỉ đạo"),
                280,
            ),
            A(
                "Nhân dân hiến hơn 20.000 m² đất làm đường giao thông nông thôn",
                "Từ đầu chương trình, hàng trăm hộ dân tự nguyện hiến đất, tháo dỡ tường rào để "
                "mở rộng các tuyến đường thôn, xóm.",
                (
                    "Nhiều tuyến đường được mở rộng lên 5 – 6 m, có rãnh thoát nước và đèn chiếu "
                    "sáng do người dân cùng đóng góp.",
                    "UBND huyện khen thưởng các tập thể, cá nhân tiêu biểu trong phong trào hiến "
                    "đất làm đường.",
                ),
                ("nông thôn mới", "giao thông nông thôn"),
                150,
            ),
            A(
                "Nâng chất tiêu chí môi trường ở các xã ven biển",
                "Các xã Bình Dương, Bình Minh, Bình Hải đồng loạt trồng cây xanh, xây dựng "
                "điểm tập kết rác và phân loại rác tại hộ gia đình.",
                (
                    "Hội Liên hiệp Phụ nữ huyện hướng dẫn hội viên ủ rác hữu cơ làm phân bón cho "
                    "vườn nhà.",
                    "Huyện hỗ trợ thùng rác phân loại cho các thôn đăng ký thôn kiểu mẫu.",
                ),
                ("nông thôn mới", "môi trường"),
                24,
            ),
        ),
        (
            A(
                "Phát động Cuộc thi tìm hiểu Hiến pháp năm 2013 trên địa bàn huyện",
                "Cuộc thi diễn ra theo hình thức trắc nghiệm trực tuyến và bài dự thi viết, kéo "
                "dài ba tháng.",
                (
                    "Người dự thi trả lời 20 câu hỏi về các chế định của Hiến pháp và dự đoán số "
                    "người tham gia mỗi tuần.",
                    "Các xã, thị trấn bố trí điểm hỗ trợ dự thi trực tuyến tại nhà văn hóa và "
                    "điểm bưu điện văn hóa.",
                ),
                ("Hiến pháp", "phổ biến pháp luật"),
                208,
            ),
            A(
                "Hơn 15.000 lượt người tham gia Cuộc thi tìm hiểu Hiến pháp",
                "Sau hai tháng, số lượt dự thi vượt xa chỉ tiêu, trong đó học sinh trung học "
                "phổ thông và đoàn viên thanh niên chiếm đa số.",
                (
                    "Nhiều thí sinh cao tuổi được con cháu hướng dẫn làm bài trên điện thoại.",
                    "Ban tổ chức nhắc người dự thi khai đúng họ tên, số điện thoại để nhận giải.",
                ),
                ("Hiến pháp", "thanh niên"),
                160,
            ),
            A(
                "Trao giải Cuộc thi tìm hiểu Hiến pháp năm 2013",
                "Ban tổ chức trao 1 giải nhất, 2 giải nhì, 3 giải ba, 10 giải khuyến khích và "
                "giải tập thể cho đơn vị có nhiều người tham gia.",
                (
                    "Giải tập thể thuộc về Thị trấn Hà Lam và xã Bình Dương.",
                    "Cuộc thi góp phần đưa Hiến pháp vào cuộc sống, nâng cao ý thức chấp hành "
                    "pháp luật của Nhân dân.",
                ),
                ("Hiến pháp", "trao giải"),
                112,
            ),
        ),
    ),
    "20791": _topics(
        "Thị trấn Hà Lam",
        SOURCE_HA_LAM,
        (
            A(
                "Thị trấn Hà Lam chung sức xây dựng huyện nông thôn mới",
                "Là trung tâm của huyện, thị trấn tập trung chỉnh trang đô thị, giữ gìn vệ sinh "
                "môi trường và phát triển thương mại, dịch vụ.",
                (
                    "Các khu phố đăng ký xây dựng tuyến đường văn minh, không rác thải, có đèn "
                    "chiếu sáng và cây xanh.",
                    "Thị trấn hỗ trợ các xã lân cận tiêu thụ nông sản qua chợ Hà Lam.",
                ),
                ("nông thôn mới", "đô thị văn minh"),
                240,
            ),
            A(
                "Khu phố 6 hoàn thành tuyến đường hoa dài 2 km",
                "Người dân khu phố 6 trồng và chăm sóc hai bên đường, mỗi hộ nhận một đoạn để "
                "tưới nước, làm cỏ.",
                (
                    "Tuyến đường hoa trở thành nơi đi bộ, tập thể dục buổi sáng của người dân.",
                    "Thị trấn sẽ nhân rộng mô hình ở khu phố 4 và khu phố 7.",
                ),
                ("nông thôn mới", "đường hoa"),
                52,
            ),
        ),
        (
            A(
                "Thị trấn Hà Lam hưởng ứng Cuộc thi tìm hiểu Hiến pháp",
                "Đoàn Thanh niên thị trấn lập tổ hỗ trợ người dân dự thi trực tuyến tại nhà văn "
                "hóa các khu phố.",
                (
                    "Tổ hỗ trợ hướng dẫn cách truy cập trang dự thi và đọc kỹ thể lệ trước khi làm "
                    "bài.",
                    "Trường học trên địa bàn tổ chức cho học sinh tìm hiểu Hiến pháp trong giờ "
                    "sinh hoạt lớp.",
                ),
                ("Hiến pháp", "Hà Lam"),
                200,
            ),
            A(
                "Ba người dân Hà Lam đoạt giải Cuộc thi tìm hiểu Hiến pháp",
                "Thị trấn có một giải ba và hai giải khuyến khích, đồng thời nhận giải tập thể "
                "có nhiều người dự thi.",
                (
                    "UBND thị trấn biểu dương các cá nhân, tập thể tích cực tham gia cuộc thi.",
                    "Công tác phổ biến Hiến pháp sẽ tiếp tục qua hệ thống loa truyền thanh khu "
                    "phố.",
                ),
                ("Hiến pháp", "trao giải"),
                108,
            ),
        ),
    ),
    "20794": _topics(
        "xã Bình Dương",
        SOURCE_BINH_DUONG,
        (
            A(
                "Bình Dương đạt thêm hai tiêu chí nông thôn mới nâng cao",
                "Sau khi hoàn thành tiêu chí giao thông và môi trường, xã đã đạt 17 trên 19 "
                "tiêu chí nông thôn mới nâng cao.",
                (
                    "Hai tiêu chí còn lại là thu nhập và nhà ở dân cư; xã tập trung hỗ trợ sinh "
                    "kế cho hộ cận nghèo.",
                    "Người dân được vận động chỉnh trang nhà cửa, vườn tược gọn gàng, sạch đẹp.",
                ),
                ("nông thôn mới", "Bình Dương"),
                180,
            ),
            A(
                "Thôn 2 xây dựng khu dân cư nông thôn mới kiểu mẫu",
                "Mỗi hộ dân trong thôn cam kết phân loại rác, trồng hàng rào xanh và giữ vệ sinh "
                "đường làng.",
                (
                    "Ban công tác Mặt trận thôn tổ chức chấm điểm hằng quý, khen thưởng các hộ "
                    "thực hiện tốt.",
                    "Thôn đã làm mới 800 m đường bê tông và 30 cột đèn năng lượng mặt trời.",
                ),
                ("nông thôn mới", "khu dân cư kiểu mẫu"),
                33,
            ),
        ),
        (
            A(
                "Đoàn Thanh niên xã Bình Dương ra quân tuyên truyền Hiến pháp",
                "Đoàn viên đến từng thôn phát tờ gấp giới thiệu cuộc thi và hướng dẫn bà con "
                "cách dự thi trên điện thoại.",
                (
                    "Các buổi sinh hoạt chi đoàn dành thời gian tìm hiểu các quyền, nghĩa vụ cơ "
                    "bản của công dân.",
                    "Xã mở điểm dự thi tại bưu điện văn hóa xã vào các buổi tối trong tuần.",
                ),
                ("Hiến pháp", "Đoàn Thanh niên"),
                195,
            ),
            A(
                "Bình Dương nhận giải tập thể Cuộc thi tìm hiểu Hiến pháp",
                "Xã là một trong hai đơn vị có số người dự thi cao nhất huyện, với hơn 1.800 "
                "lượt tham gia.",
                (
                    "Giải thưởng được trao tại lễ tổng kết cuộc thi của huyện.",
                    "UBND xã khen thưởng chi đoàn thôn 4 có nhiều đoàn viên tham gia nhất.",
                ),
                ("Hiến pháp", "trao giải"),
                110,
            ),
        ),
    ),
    "20812": _topics(
        "xã Bình Minh",
        SOURCE_BINH_MINH,
        (
            A(
                "Bình Minh xây dựng nông thôn mới gắn với du lịch biển",
                "Xã ưu tiên các tiêu chí môi trường, cảnh quan để vừa đạt chuẩn vừa thu hút "
                "du khách.",
                (
                    "Tuyến đường ven biển được trồng hàng dương, lắp thùng rác và bảng chỉ dẫn.",
                    "Các hộ làm du lịch cộng đồng được hỗ trợ cải tạo nhà vệ sinh, khu tiếp khách.",
                ),
                ("nông thôn mới", "du lịch biển"),
                230,
            ),
            A(
                "Thôn 1 ra mắt mô hình thôn sáng - xanh - sạch - đẹp",
                "Thôn lắp 45 bóng đèn chiếu sáng, trồng gần 500 cây xanh và tổ chức thu gom rác "
                "hai lần mỗi tuần.",
                (
                    "Kinh phí do người dân đóng góp cùng nguồn hỗ trợ của xã.",
                    "Thanh niên thôn nhận chăm sóc cây xanh trong năm đầu.",
                ),
                ("nông thôn mới", "Bình Minh"),
                28,
            ),
        ),
        (
            A(
                "Bình Minh đưa Hiến pháp đến với ngư dân",
                "Xã phát thanh các câu hỏi của cuộc thi trên loa truyền thanh vào giờ ngư dân "
                "về bến.",
                (
                    "Đồn Biên phòng phối hợp tuyên truyền trên các tàu cá trước mỗi chuyến biển.",
                    "Người dân có thể dự thi tại điểm hỗ trợ ở nhà văn hóa thôn 3.",
                ),
                ("Hiến pháp", "ngư dân"),
                190,
            ),
            A(
                "Khen thưởng tập thể, cá nhân tích cực tham gia cuộc thi tìm hiểu Hiến pháp",
                "UBND xã Bình Minh tặng giấy khen cho 2 tập thể và 6 cá nhân có thành tích "
                "trong cuộc thi.",
                (
                    "Nhiều ngư dân lần đầu làm bài dự thi trực tuyến với sự hỗ trợ của đoàn viên.",
                    "Xã tiếp tục duy trì tủ sách pháp luật tại nhà văn hóa các thôn.",
                ),
                ("Hiến pháp", "khen thưởng"),
                105,
            ),
        ),
    ),
    "20845": _topics(
        "xã Bình An",
        SOURCE_BINH_AN,
        (
            A(
                "Bình An giữ vững chuẩn nông thôn mới, hướng tới nông thôn mới nâng cao",
                "Xã rà soát lại từng tiêu chí, tập trung nâng chất thu nhập, môi trường và an "
                "ninh trật tự.",
                (
                    "Ban quản lý chương trình của xã phân công mỗi cán bộ theo dõi một tiêu chí, "
                    "báo cáo tiến độ tại cuộc giao ban hằng tháng.",
                    "Người dân được vận động chỉnh trang hàng rào, cổng ngõ, phân loại rác tại "
                    "nguồn và trồng cây xanh dọc đường thôn.",
                ),
                ("nông thôn mới", "Bình An"),
                250,
            ),
            A(
                "Nhân dân thôn 4 góp công làm 1,2 km đường giao thông nội đồng",
                "Tuyến đường bê tông rộng 3 m giúp máy gặt đập liên hợp và xe chở lúa vào tận "
                "chân ruộng.",
                (
                    "Xi măng do Nhà nước hỗ trợ; cát, sạn và ngày công do bà con trong thôn "
                    "đóng góp.",
                    "Nhiều hộ tự nguyện hiến phần đất bờ ruộng để tuyến đường thẳng và đủ bề rộng.",
                ),
                ("nông thôn mới", "giao thông nội đồng"),
                65,
            ),
            A(
                "Thôn 7 được công nhận khu dân cư nông thôn mới kiểu mẫu",
                "Thôn có 100% tuyến đường được chiếu sáng, hàng rào xanh và điểm thu gom rác "
                "đã phân loại.",
                (
                    "Ban công tác Mặt trận thôn chấm điểm từng hộ mỗi quý và công khai kết quả "
                    "tại nhà văn hóa.",
                    "Xã chọn thôn 7 làm nơi học tập kinh nghiệm cho các thôn còn lại.",
                ),
                ("nông thôn mới", "khu dân cư kiểu mẫu"),
                18,
            ),
        ),
        (
            A(
                "Bình An mở điểm hỗ trợ dự thi tìm hiểu Hiến pháp tại bưu điện văn hóa xã",
                "Người chưa quen dùng điện thoại thông minh được đoàn viên hướng dẫn đăng nhập "
                "và làm bài ngay tại điểm hỗ trợ.",
                (
                    "Điểm hỗ trợ mở cửa từ 14 giờ đến 20 giờ hằng ngày trong thời gian diễn ra "
                    "cuộc thi.",
                    "Đài truyền thanh xã phát các câu hỏi gợi ý vào buổi sáng và buổi chiều.",
                ),
                ("Hiến pháp", "Bình An"),
                200,
            ),
            A(
                "Hai học sinh xã Bình An đoạt giải Cuộc thi tìm hiểu Hiến pháp",
                "Một giải khuyến khích và giải dành cho thí sinh nhỏ tuổi nhất của huyện thuộc "
                "về học sinh trung học cơ sở của xã.",
                (
                    "UBND xã tặng giấy khen cho hai em và các chi đoàn có nhiều đoàn viên tham "
                    "gia.",
                    "Kết quả cuộc thi được niêm yết tại nhà văn hóa các thôn và đăng trên cổng "
                    "thông tin của xã.",
                ),
                ("Hiến pháp", "trao giải"),
                115,
            ),
        ),
    ),
}


# --- Directives (chỉ đạo điều hành) ---------------------------------------------------------


@dataclass(frozen=True)
class DirectiveSpec:
    """A directing document: its title is the summary line (trích yếu); ``signer`` is 0 for
    the chairman, 1 for the vice-chairman of the portal's ``SIGNERS``."""

    number: str
    title: str
    paragraphs: tuple[str, ...]
    days_ago: int
    signer: int = 0


D = DirectiveSpec

# Fictional names; the district's vice-chairman is the demo's ``demo.leader``.
SIGNERS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    DISTRICT_CODE: (
        ("Hồ Quang Vinh", "Chủ tịch UBND huyện"),
        ("Phạm Ngọc Dũng", "Phó Chủ tịch UBND huyện"),
    ),
    "20791": (
        ("Võ Văn Sơn", "Chủ tịch UBND thị trấn"),
        ("Trần Thị Bình", "Phó Chủ tịch UBND thị trấn"),
    ),
    "20794": (
        ("Lê Văn Cường", "Chủ tịch UBND xã"),
        ("Nguyễn Thị Hạnh", "Phó Chủ tịch UBND xã"),
    ),
    "20812": (
        ("Đỗ Văn Lực", "Chủ tịch UBND xã"),
        ("Phạm Thị Dung", "Phó Chủ tịch UBND xã"),
    ),
    "20845": (
        ("Phan Văn Hòa", "Chủ tịch UBND xã"),
        ("Lê Thị Thu Hiền", "Phó Chủ tịch UBND xã"),
    ),
}

DISTRICT_DIRECTIVES: tuple[DirectiveSpec, ...] = (
    D(
        "1890/UBND-VP",
        "Tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn mùa mưa bão",
        (
            "Yêu cầu UBND các xã, thị trấn rà soát phương án ứng phó với bão mạnh, lũ lớn theo "
            "phương châm bốn tại chỗ; hoàn thành danh sách hộ dân phải sơ tán ở vùng trũng "
            "thấp, ven sông, ven biển.",
            "Phòng Nông nghiệp và Phát triển nông thôn kiểm tra an toàn hồ chứa, đê kè; Ban "
            "Chỉ huy Quân sự huyện và Công an huyện bố trí lực lượng, phương tiện sẵn sàng cứu "
            "hộ, cứu nạn. Các đơn vị báo cáo kết quả triển khai trước ngày 15 tháng sau.",
        ),
        12,
    ),
    D(
        "15/CT-UBND",
        "Về tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính",
        (
            "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm về việc giải quyết hồ sơ quá hạn "
            "tại đơn vị mình; hồ sơ trễ hạn phải có văn bản xin lỗi người dân và hẹn lại thời "
            "gian trả kết quả.",
            "Nghiêm cấm yêu cầu người dân nộp thêm giấy tờ ngoài quy định. Văn phòng HĐND và "
            "UBND huyện theo dõi, tổng hợp tỷ lệ hồ sơ đúng hạn của từng đơn vị hằng tháng.",
        ),
        40,
    ),
    D(
        "2456/QĐ-UBND",
        "Công bố danh mục thủ tục hành chính tiếp nhận không phụ thuộc địa giới "
        "hành chính trên địa bàn huyện",
        (
            "Công bố danh mục 36 thủ tục hành chính thuộc thẩm quyền giải quyết của UBND huyện "
            "và UBND cấp xã được tiếp nhận hồ sơ tại bất kỳ Bộ phận Một cửa nào trong huyện.",
            "Bộ phận Một cửa các cấp cập nhật danh mục lên Hệ thống thông tin giải quyết thủ "
            "tục hành chính và niêm yết công khai tại nơi tiếp nhận hồ sơ.",
        ),
        65,
        1,
    ),
    D(
        "212/KH-UBND",
        "Tổ chức Tháng hành động vì an toàn thực phẩm",
        (
            "Tổ chức tuyên truyền kiến thức an toàn thực phẩm đến người sản xuất, kinh doanh "
            "và người tiêu dùng; kiểm tra các cơ sở kinh doanh dịch vụ ăn uống, bếp ăn tập thể "
            "tại trường học.",
            "Đoàn kiểm tra liên ngành huyện kiểm tra tại các chợ, cơ sở chế biến nước mắm, bánh "
            "tráng; kết quả được công khai trên cổng thông tin điện tử huyện.",
        ),
        95,
        1,
    ),
    D(
        "1502/UBND-NN",
        "Chủ động phòng, chống dịch bệnh nguy hiểm trên đàn gia súc, gia cầm",
        (
            "UBND các xã, thị trấn tổ chức tiêm phòng đợt hai cho đàn gia súc, gia cầm; hướng "
            "dẫn người chăn nuôi vệ sinh, tiêu độc khử trùng chuồng trại.",
            "Khi phát hiện gia súc, gia cầm ốm, chết không rõ nguyên nhân, người chăn nuôi báo "
            "ngay cho nhân viên thú y xã; nghiêm cấm vứt xác động vật ra môi trường.",
        ),
        120,
        1,
    ),
    D(
        "178/TB-UBND",
        "Kết luận của Chủ tịch UBND huyện tại buổi làm việc về tiến độ giải phóng "
        "mặt bằng các dự án trọng điểm",
        (
            "Chủ tịch UBND huyện yêu cầu Ban Quản lý dự án đầu tư xây dựng huyện và UBND các xã "
            "có dự án hoàn thành kiểm kê, lập phương án bồi thường đúng quy định, công khai "
            "tại thôn.",
            "Những trường hợp còn vướng mắc được tổ chức đối thoại, giải thích chính sách; "
            "báo cáo kết quả về UBND huyện trước ngày 30 hằng tháng.",
        ),
        150,
    ),
    D(
        "1215/UBND-VP",
        "Triển khai thanh toán không dùng tiền mặt trong thu phí, lệ phí giải quyết thủ tục "
        "hành chính",
        (
            "Bộ phận Một cửa huyện và các xã, thị trấn niêm yết mã QR tài khoản thu phí, lệ "
            "phí; hướng dẫn người dân thanh toán trực tuyến khi nộp hồ sơ.",
            "Các cơ quan chuyên môn phối hợp với ngân hàng, bưu điện tổ chức thu hộ tại nơi "
            "tiếp nhận hồ sơ, bảo đảm người dân có thể chọn hình thức thanh toán phù hợp.",
        ),
        185,
        1,
    ),
)


def _commune_directives(
    unit: str, numbers: tuple[str, str, str, str], own: tuple[DirectiveSpec, ...]
) -> tuple[DirectiveSpec, ...]:
    """Four directing documents every commune issues (on the district's instructions), with
    the commune's own numbers, and two of its own."""
    env, army, reception, disaster = numbers
    return (
        D(
            env,
            "Tổ chức tổng vệ sinh môi trường, phòng chống sốt xuất huyết",
            (
                f"Yêu cầu các thôn, khu phố và đoàn thể {unit} ra quân tổng vệ sinh vào sáng "
                "Chủ nhật, phát quang bụi rậm, khơi thông cống rãnh, thu gom vật dụng chứa "
                "nước đọng.",
                "Trạm Y tế giám sát ca bệnh, phối hợp phun hóa chất diệt muỗi tại các điểm có "
                "nguy cơ; kết quả báo cáo về UBND sau mỗi đợt ra quân.",
            ),
            9,
            1,
        ),
        D(
            army,
            "Tuyển chọn và gọi công dân nhập ngũ năm sau",
            (
                "Tổ chức sơ tuyển, khám sức khỏe cho công dân trong độ tuổi gọi nhập ngũ; công "
                "khai danh sách, tiêu chuẩn, chính sách tại nhà văn hóa các thôn, khu phố.",
                "Hội đồng nghĩa vụ quân sự bảo đảm dân chủ, công bằng; giải quyết tạm hoãn, "
                "miễn gọi nhập ngũ đúng quy định.",
            ),
            34,
        ),
        D(
            reception,
            "Lịch tiếp công dân định kỳ của Chủ tịch UBND",
            (
                f"Chủ tịch UBND {unit} tiếp công dân định kỳ vào ngày 10 và ngày 25 hằng "
                "tháng tại phòng tiếp công dân ở trụ sở UBND; trùng ngày nghỉ thì chuyển sang "
                "ngày làm việc kế tiếp.",
                "Công dân đến trình bày mang theo giấy tờ tùy thân và tài liệu liên quan.",
            ),
            70,
        ),
        D(
            disaster,
            "Kiện toàn Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn",
            (
                f"Kiện toàn Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn {unit} "
                "gồm 15 thành viên do Chủ tịch UBND làm Trưởng ban.",
                "Các thành viên được phân công phụ trách từng thôn, khu phố; Ban Chỉ huy họp "
                "thường kỳ trước mùa mưa bão và khi có tình huống khẩn cấp.",
            ),
            130,
        ),
        *own,
    )


COMMUNE_DIRECTIVES: dict[str, tuple[DirectiveSpec, ...]] = {
    "20791": _commune_directives(
        "thị trấn Hà Lam",
        ("412/UBND", "52/KH-UBND", "31/TB-UBND", "108/QĐ-UBND"),
        (
            D(
                "356/UBND",
                "Xử lý lấn chiếm vỉa hè, lòng đường trên các tuyến Tiểu La, Hùng Vương",
                (
                    "Giao Công an thị trấn chủ trì cùng Đội trật tự đô thị nhắc nhở, lập biên "
                    "bản các trường hợp bày bán hàng hóa, để vật liệu xây dựng trên vỉa hè.",
                    "Các hộ kinh doanh tự tháo dỡ mái che, bảng quảng cáo lấn ra lòng đường "
                    "trước ngày 20 tháng này.",
                ),
                48,
                1,
            ),
            D(
                "41/KH-UBND",
                "Tổ chức Ngày Chủ nhật xanh tại các khu phố",
                (
                    "Mỗi tháng một lần, các khu phố tổ chức dọn vệ sinh, trồng cây xanh và "
                    "chăm sóc tuyến đường hoa tự quản.",
                    "Đoàn Thanh niên, Hội Liên hiệp Phụ nữ thị trấn vận động hội viên tham "
                    "gia; kết quả được chấm điểm thi đua cuối năm.",
                ),
                100,
                1,
            ),
        ),
    ),
    "20794": _commune_directives(
        "xã Bình Dương",
        ("298/UBND", "47/KH-UBND", "26/TB-UBND", "96/QĐ-UBND"),
        (
            D(
                "251/UBND",
                "Hướng dẫn ngư dân neo đậu tàu thuyền tránh trú bão",
                (
                    "Chủ tàu kiểm tra máy móc, thiết bị thông tin liên lạc trước khi ra khơi; "
                    "khi có tin bão, tàu thuyền vào nơi tránh trú theo hướng dẫn của Đồn Biên "
                    "phòng.",
                    "Trưởng thôn lập danh sách tàu thuyền và số điện thoại chủ tàu, cập nhật về "
                    "UBND xã trước mùa mưa bão.",
                ),
                58,
            ),
            D(
                "83/QĐ-UBND",
                "Phê duyệt danh sách hộ được hỗ trợ giống lúa vụ hè thu",
                (
                    "Phê duyệt danh sách 146 hộ bị thiệt hại do hạn hán được hỗ trợ giống lúa "
                    "xác nhận vụ hè thu.",
                    "Hợp tác xã nông nghiệp cấp phát giống theo danh sách, công khai tại nhà văn "
                    "hóa các thôn.",
                ),
                160,
                1,
            ),
        ),
    ),
    "20812": _commune_directives(
        "xã Bình Minh",
        ("335/UBND", "49/KH-UBND", "28/TB-UBND", "101/QĐ-UBND"),
        (
            D(
                "274/UBND",
                "Niêm yết giá và bảo đảm vệ sinh tại các điểm kinh doanh dịch vụ du lịch bãi biển",
                (
                    "Các hộ kinh doanh dịch vụ ghế, dù, tắm nước ngọt, gửi xe niêm yết giá rõ "
                    "ràng, bán đúng giá niêm yết; bố trí thùng rác có nắp tại điểm kinh doanh.",
                    "Tổ kiểm tra của xã kiểm tra định kỳ và đột xuất; trường hợp vi phạm bị xử "
                    "lý theo quy định.",
                ),
                62,
                1,
            ),
            D(
                "38/KH-UBND",
                "Cứu hộ, cứu nạn và phòng chống đuối nước mùa du lịch",
                (
                    "Bố trí chòi cứu hộ, phao giới hạn vùng tắm và lực lượng cứu hộ trực từ 5 giờ "
                    "đến 18 giờ hằng ngày trong mùa du lịch.",
                    "Tuyên truyền cho du khách không tắm biển khi có cờ đỏ, khi trời tối hoặc sau "
                    "khi uống rượu bia.",
                ),
                140,
            ),
        ),
    ),
    "20845": _commune_directives(
        "xã Bình An",
        ("318/UBND", "51/KH-UBND", "29/TB-UBND", "104/QĐ-UBND"),
        (
            D(
                "287/UBND",
                "Chuyển đổi cơ cấu cây trồng trên đất trồng lúa kém hiệu quả vụ hè thu",
                (
                    "Các thôn rà soát, lập danh sách hộ có nhu cầu chuyển sang trồng ngô, đậu "
                    "phộng, rau màu trên chân ruộng cao, thiếu nước; gửi về UBND xã qua công "
                    "chức Địa chính - Nông nghiệp trước ngày 15 tháng này.",
                    "Việc chuyển đổi phải theo kế hoạch được duyệt, không làm biến dạng mặt "
                    "ruộng, không xây dựng công trình trên đất trồng lúa; Hợp tác xã dịch vụ "
                    "nông nghiệp hướng dẫn kỹ thuật và cung ứng giống cho các hộ.",
                ),
                52,
                1,
            ),
            D(
                "87/QĐ-UBND",
                "Thành lập Tổ bảo vệ an ninh, trật tự ở cơ sở tại các thôn",
                (
                    "Thành lập 7 Tổ bảo vệ an ninh, trật tự ở cơ sở tại 7 thôn, mỗi tổ 3 thành "
                    "viên, do Công an xã trực tiếp quản lý, hướng dẫn hoạt động.",
                    "Các tổ nắm tình hình, tuyên truyền, vận động Nhân dân chấp hành pháp luật, "
                    "tham gia hòa giải ở cơ sở và hỗ trợ giữ gìn trật tự tại các sự kiện của "
                    "thôn.",
                ),
                122,
            ),
        ),
    ),
}


# --- Maps --------------------------------------------------------------------------------

# The district's schematic map: each commune's position (x east, y south, 0–100).  Drawn
# for the demo: not to scale, not a boundary map.
DISTRICT_MAP_POSITIONS: dict[str, tuple[int, int]] = {
    "20791": (52, 42),  # Thị trấn Hà Lam (the district's seat)
    "20794": (79, 38),
    "20797": (64, 27),
    "20800": (47, 28),
    "20803": (44, 58),
    "20806": (67, 12),
    "20809": (76, 22),
    "20812": (83, 54),
    "20815": (13, 45),
    "20818": (20, 25),
    "20821": (30, 13),
    "20822": (31, 33),
    "20824": (39, 20),
    "20827": (22, 63),
    "20830": (36, 47),
    "20833": (59, 55),
    "20836": (72, 81),
    "20839": (78, 68),
    "20842": (30, 80),
    "20845": (49, 80),
    "20848": (62, 69),
    "20851": (63, 91),
}

# A commune's schematic map: its villages or quarters (sub-units the organizations module
# does not hold).
COMMUNE_MAP_PARTS: dict[str, tuple[str, ...]] = {
    "20791": tuple(f"Khu phố {n}" for n in range(1, 8)),
    "20794": tuple(f"Thôn {n}" for n in range(1, 7)),
    "20812": tuple(f"Thôn {n}" for n in range(1, 6)),
    "20845": tuple(f"Thôn {n}" for n in range(1, 8)),
}
