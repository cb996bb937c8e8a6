namespace OneStop.Mocks.Internal;

/// <summary>Word lists the generator draws from. Weights are rough shares in the real population.</summary>
internal static class ReferenceLists
{
    public static readonly (string Value, int Weight)[] FamilyNames =
    [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 50), ("Phan", 45), ("Vũ", 40),
        ("Huỳnh", 30), ("Võ", 30), ("Đặng", 20), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13),
        ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Trịnh", 6), ("Mai", 5), ("Lương", 4), ("Đào", 4),
        ("Cao", 4), ("Tạ", 3), ("Hà", 4), ("Lâm", 3), ("Chu", 2), ("Tô", 2), ("Quách", 1), ("Lò", 1),
    ];

    public static readonly string[] MaleMiddleNames =
    [
        "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Ngọc", "Anh", "Tuấn", "Đình",
        "Trọng", "Gia", "Hoàng", "Quốc", "Mạnh", "Bảo", "Thế", "Duy", "Tiến", "Khắc",
    ];

    public static readonly string[] FemaleMiddleNames =
    [
        "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Bích", "Kim", "Thùy", "Mai", "Diệu",
        "Khánh", "Hải", "Bảo", "Quỳnh", "Thảo", "Như", "Hoài", "Tuyết",
    ];

    public static readonly string[] MaleGivenNames =
    [
        "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Hoàng", "Khánh", "Long", "Minh", "Nam",
        "Phong", "Phúc", "Quân", "Quang", "Sơn", "Thắng", "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
        "Hiếu", "Đạt", "Khoa", "Kiên", "Lâm", "Nghĩa", "Tài", "Tiến", "Toàn", "Trí", "Thịnh", "Hưng", "Lộc",
        "Khôi", "Bảo", "Duy", "Hậu",
    ];

    public static readonly string[] FemaleGivenNames =
    [
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan",
        "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang",
        "Tuyết", "Vân", "Yến", "Hiền", "Hồng", "Liên", "Thu", "Trâm", "Uyên", "Nhi", "Vy", "Hoài", "Lệ",
    ];

    public static readonly (string Value, int Weight)[] Ethnicities =
    [
        ("Kinh", 860), ("Tày", 20), ("Thái", 20), ("Mường", 18), ("Khmer", 14), ("Hoa", 10), ("Nùng", 10),
        ("Mông", 12), ("Dao", 8), ("Ê Đê", 4), ("Gia Rai", 4), ("Sán Dìu", 2), ("Chăm", 2),
    ];

    public static readonly (string Value, int Weight)[] Religions =
    [
        ("Không", 800), ("Phật giáo", 90), ("Công giáo", 70), ("Tin lành", 15), ("Cao Đài", 15), ("Phật giáo Hòa Hảo", 10),
    ];

    public static readonly string[] Streets =
    [
        "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Quang Trung", "Hai Bà Trưng", "Lý Thường Kiệt", "Bà Triệu",
        "Phan Chu Trinh", "Hùng Vương", "Trần Hưng Đạo", "Lê Duẩn", "Nguyễn Du", "Ngô Quyền", "Điện Biên Phủ",
        "Hoàng Hoa Thám", "Lê Hoàn", "Nguyễn Huệ", "Tô Hiến Thành", "Phạm Ngũ Lão", "Đinh Tiên Hoàng",
    ];

    public static readonly string[] CompanyCores =
    [
        "Hồng Phát", "Minh Long", "An Khang", "Thành Đạt", "Phú Gia", "Việt Tiến", "Hoàng Anh", "Sao Mai",
        "Bình Minh", "Trường Sơn", "Hải Đăng", "Tân Phát", "Đại Việt", "Kim Ngân", "Phương Nam", "Lam Sơn",
        "Hưng Thịnh", "Thịnh Vượng", "Quang Minh", "Nam Việt", "Đông Á", "Phúc Lộc", "Thiên Long", "Hà Trung",
        "Sông Mã", "Xứ Thanh", "Hòa Bình", "Ngọc Lan", "Trí Đức", "Vạn Xuân", "Hợp Thành", "Bắc Trung Bộ",
    ];

    public static readonly string[] CompanyFields =
    [
        "Thương mại và Dịch vụ", "Xây dựng", "Đầu tư và Phát triển", "Công nghệ", "Vận tải", "Sản xuất và Thương mại",
        "Tư vấn và Thiết kế", "Thực phẩm", "Du lịch", "Nông nghiệp Công nghệ cao", "Giải pháp Phần mềm", "Vật liệu xây dựng",
    ];

    /// <summary>Legal forms: code (<c>MaLoaiHinhDN</c>), name prefix, representative title.</summary>
    public static readonly (string Code, string Prefix, string Title, int Weight)[] LegalForms =
    [
        ("1", "Doanh nghiệp tư nhân", "Chủ doanh nghiệp", 8),
        ("2", "Công ty TNHH", "Giám đốc", 35),
        ("3", "Công ty TNHH Một thành viên", "Giám đốc", 30),
        ("4", "Công ty Cổ phần", "Tổng giám đốc", 25),
        ("5", "Công ty Hợp danh", "Thành viên hợp danh", 2),
    ];

    public static readonly (string Value, int Weight)[] LegalStatuses =
    [
        ("Đang hoạt động", 88), ("Tạm ngừng kinh doanh có thời hạn", 6), ("Đang làm thủ tục giải thể", 3), ("Đã giải thể", 3),
    ];

    /// <summary>VSIC 2018 level-4 codes and names.</summary>
    public static readonly (string Code, string Name)[] Vsic =
    [
        ("0118", "Trồng rau, đậu các loại và trồng hoa"),
        ("1079", "Sản xuất thực phẩm khác chưa được phân vào đâu"),
        ("1410", "May trang phục (trừ trang phục từ da lông thú)"),
        ("2392", "Sản xuất vật liệu xây dựng từ đất sét"),
        ("3100", "Sản xuất giường, tủ, bàn, ghế"),
        ("4101", "Xây dựng nhà để ở"),
        ("4102", "Xây dựng nhà không để ở"),
        ("4212", "Xây dựng công trình đường bộ"),
        ("4520", "Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác"),
        ("4632", "Bán buôn thực phẩm"),
        ("4649", "Bán buôn đồ dùng khác cho gia đình"),
        ("4659", "Bán buôn máy móc, thiết bị và phụ tùng máy khác"),
        ("4663", "Bán buôn vật liệu, thiết bị lắp đặt khác trong xây dựng"),
        ("4711", "Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp"),
        ("4933", "Vận tải hàng hóa bằng đường bộ"),
        ("5210", "Kho bãi và lưu giữ hàng hóa"),
        ("5510", "Dịch vụ lưu trú ngắn ngày"),
        ("5610", "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động"),
        ("6201", "Lập trình máy vi tính"),
        ("6202", "Tư vấn máy vi tính và quản trị hệ thống máy vi tính"),
        ("6311", "Xử lý dữ liệu, cho thuê và các hoạt động liên quan"),
        ("6810", "Kinh doanh bất động sản, quyền sử dụng đất thuộc chủ sở hữu, chủ sử dụng hoặc đi thuê"),
        ("7110", "Hoạt động kiến trúc và tư vấn kỹ thuật có liên quan"),
        ("7310", "Quảng cáo"),
        ("8299", "Hoạt động dịch vụ hỗ trợ kinh doanh khác còn lại chưa được phân vào đâu"),
        ("8559", "Giáo dục khác chưa được phân vào đâu"),
    ];

    /// <summary>Tax-office prefixes (first two MST digits) by current province; others use <see cref="DefaultTaxPrefixes"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> TaxPrefixByProvince = new Dictionary<string, string>
    {
        ["01"] = "01", ["31"] = "02", ["79"] = "03", ["48"] = "04", ["38"] = "28", ["40"] = "29", ["42"] = "30",
        ["46"] = "33", ["56"] = "42", ["75"] = "36", ["92"] = "18", ["22"] = "57", ["24"] = "23",
    };

    public static readonly string[] DefaultTaxPrefixes = ["05", "10", "14", "15", "26", "31", "40", "45", "60"];

    public static readonly string[] CertificateSeries = ["AA", "AB", "BA", "BC", "BK", "BT", "BY", "CA", "CB", "CH", "CS", "CT", "DA", "DB"];
}
