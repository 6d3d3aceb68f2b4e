"""Demo content of the portals (original text written for the demo; names are fictional)."""

from __future__ import annotations

from dataclasses import dataclass

from egov.portal.constants import NewsCategory

DISTRICT_CODE = "513"
COMMUNE_CODES = ("20791", "20794", "20812")  # Thị trấn Hà Lam, Xã Bình Dương, Xã Bình Minh


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

# Each commune portal: one news category with three articles.
COMMUNE_NEWS: dict[str, tuple[str, tuple[ArticleSpec, ...]]] = {
    "20791": (
        C.CULTURE_SOCIETY,
        (
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
    ),
    "20794": (
        C.ECONOMY,
        (
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
    ),
    "20812": (
        C.TOURISM,
        (
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
    ),
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
}

EXTERNAL_LINKS: tuple[tuple[str, str], ...] = (
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
    ("Cổng thông tin điện tử tỉnh Quảng Nam", "https://quangnam.gov.vn/"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"),
)

CONTACT = {
    "address": "Số 1 đường Tiểu La, Thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam",
    "phone": "0235 3874 000",
    "fax": "0235 3874 001",
    "email": "ubnd@thangbinh.example.vn",
    "office_hours": "Sáng 7 giờ 00 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ 00, thứ Hai – thứ Sáu",
}
