namespace OneStop.Mocks.Internal;

internal sealed record Province(string Code, string Name, bool IsCity);

internal sealed record Commune(string Code, string Name, string ProvinceCode)
{
    public bool IsWard => Name.StartsWith("Phường", StringComparison.Ordinal);
}

/// <summary>
/// Administrative units after 1 July 2025: 34 provinces (2-digit codes), communes with 5-digit codes,
/// no district level; and the 63 old province-of-birth codes that CCCD numbers still carry.
/// </summary>
internal static class AdministrativeUnits
{
    public static readonly IReadOnlyList<Province> Provinces =
    [
        new("01", "Hà Nội", true), new("04", "Cao Bằng", false), new("08", "Tuyên Quang", false),
        new("11", "Điện Biên", false), new("12", "Lai Châu", false), new("14", "Sơn La", false),
        new("15", "Lào Cai", false), new("19", "Thái Nguyên", false), new("20", "Lạng Sơn", false),
        new("22", "Quảng Ninh", false), new("24", "Bắc Ninh", false), new("25", "Phú Thọ", false),
        new("31", "Hải Phòng", true), new("33", "Hưng Yên", false), new("37", "Ninh Bình", false),
        new("38", "Thanh Hóa", false), new("40", "Nghệ An", false), new("42", "Hà Tĩnh", false),
        new("44", "Quảng Trị", false), new("46", "Huế", true), new("48", "Đà Nẵng", true),
        new("51", "Quảng Ngãi", false), new("52", "Gia Lai", false), new("56", "Khánh Hòa", false),
        new("66", "Đắk Lắk", false), new("68", "Lâm Đồng", false), new("75", "Đồng Nai", false),
        new("79", "Hồ Chí Minh", true), new("80", "Tây Ninh", false), new("82", "Đồng Tháp", false),
        new("86", "Vĩnh Long", false), new("91", "An Giang", false), new("92", "Cần Thơ", true),
        new("96", "Cà Mau", false),
    ];

    // A handful of current communes per province (codes from the national statistics list).
    // 16012 is the commune docs/adapters.md uses in its examples.
    private static readonly (string Province, string Code, string Name)[] CommuneRows =
    [
        ("01", "00004", "Phường Ba Đình"), ("01", "00008", "Phường Ngọc Hà"), ("01", "00025", "Phường Giảng Võ"),
        ("01", "00070", "Phường Hoàn Kiếm"), ("01", "00082", "Phường Cửa Nam"),
        ("04", "01273", "Phường Thục Phán"), ("04", "01279", "Phường Nùng Trí Cao"), ("04", "01288", "Phường Tân Giang"),
        ("04", "01290", "Xã Bảo Lâm"), ("04", "01294", "Xã Lý Bôn"),
        ("08", "00691", "Phường Hà Giang 2"), ("08", "00694", "Phường Hà Giang 1"), ("08", "02212", "Phường Nông Tiến"),
        ("08", "02215", "Phường Minh Xuân"), ("08", "02509", "Phường Mỹ Lâm"),
        ("11", "03127", "Phường Điện Biên Phủ"), ("11", "03151", "Phường Mường Lay"), ("11", "03334", "Phường Mường Thanh"),
        ("11", "03158", "Xã Sín Thầu"), ("11", "03160", "Xã Mường Nhé"),
        ("12", "03388", "Phường Đoàn Kết"), ("12", "03408", "Phường Tân Phong"), ("12", "03390", "Xã Bình Lư"),
        ("12", "03394", "Xã Sin Suối Hồ"), ("12", "03405", "Xã Tả Lèng"),
        ("14", "03646", "Phường Tô Hiệu"), ("14", "03664", "Phường Chiềng An"), ("14", "03670", "Phường Chiềng Cơi"),
        ("14", "03679", "Phường Chiềng Sinh"), ("14", "03979", "Phường Mộc Sơn"),
        ("15", "02647", "Phường Lào Cai"), ("15", "02671", "Phường Cam Đường"), ("15", "03006", "Phường Sa Pa"),
        ("15", "04252", "Phường Yên Bái"), ("15", "04273", "Phường Nam Cường"),
        ("19", "01840", "Phường Đức Xuân"), ("19", "01843", "Phường Bắc Kạn"), ("19", "05443", "Phường Phan Đình Phùng"),
        ("19", "05455", "Phường Quyết Thắng"), ("19", "05467", "Phường Gia Sàng"),
        ("20", "05977", "Phường Đông Kinh"), ("20", "05983", "Phường Lương Văn Tri"), ("20", "05986", "Phường Tam Thanh"),
        ("20", "06187", "Phường Kỳ Lừa"), ("20", "06001", "Xã Đoàn Kết"),
        ("22", "06652", "Phường Hà Tu"), ("22", "06658", "Phường Cao Xanh"), ("22", "06661", "Phường Việt Hưng"),
        ("22", "06673", "Phường Bãi Cháy"), ("22", "06676", "Phường Hà Lầm"),
        ("24", "07420", "Xã Mỹ Thái"), ("24", "07210", "Phường Bắc Giang"), ("24", "07228", "Phường Đa Mai"),
        ("24", "07525", "Phường Chũ"), ("24", "07612", "Phường Phượng Sơn"),
        ("25", "04978", "Xã Kim Bôi"), ("25", "04792", "Phường Tân Hòa"), ("25", "04795", "Phường Hòa Bình"),
        ("25", "04828", "Phường Thống Nhất"), ("25", "04894", "Phường Kỳ Sơn"),
        ("31", "10507", "Phường Thành Đông"), ("31", "10525", "Phường Hải Dương"), ("31", "10532", "Phường Lê Thanh Nghị"),
        ("31", "10537", "Phường Tân Hưng"), ("31", "10543", "Phường Việt Hòa"),
        ("33", "11953", "Phường Phố Hiến"), ("33", "11980", "Phường Hồng Châu"), ("33", "11983", "Phường Sơn Nam"),
        ("33", "12103", "Phường Mỹ Hào"), ("33", "12127", "Phường Thượng Hồng"),
        ("37", "13285", "Phường Phủ Lý"), ("37", "13291", "Phường Phù Vân"), ("37", "13318", "Phường Châu Sơn"),
        ("37", "13324", "Phường Duy Tiên"), ("37", "13330", "Phường Duy Tân"),
        ("38", "14758", "Phường Hàm Rồng"), ("38", "14797", "Phường Hạc Thành"), ("38", "14812", "Phường Bỉm Sơn"),
        ("38", "14818", "Phường Quang Trung"), ("38", "15853", "Phường Đông Tiến"), ("38", "16012", "Phường Một Cửa"),
        ("38", "16093", "Xã Nga Sơn"), ("38", "16591", "Xã Các Sơn"), ("38", "15661", "Xã Tân Thành"),
        ("38", "15643", "Xã Thắng Lộc"),
        ("40", "16681", "Phường Thành Vinh"), ("40", "16690", "Phường Trường Vinh"), ("40", "16702", "Phường Vinh Phú"),
        ("40", "16708", "Phường Vinh Lộc"), ("40", "16732", "Phường Cửa Lò"),
        ("42", "18073", "Phường Thành Sen"), ("42", "18100", "Phường Trần Phú"), ("42", "18115", "Phường Bắc Hồng Lĩnh"),
        ("42", "18118", "Phường Nam Hồng Lĩnh"), ("42", "18652", "Phường Hà Huy Tập"),
        ("44", "18859", "Phường Đồng Thuận"), ("44", "18871", "Phường Đồng Sơn"), ("44", "18880", "Phường Đồng Hới"),
        ("44", "19009", "Phường Ba Đồn"), ("44", "19066", "Phường Bắc Gianh"),
        ("46", "19753", "Phường Phú Xuân"), ("46", "19774", "Phường Kim Long"), ("46", "19777", "Phường Vỹ Dạ"),
        ("46", "19789", "Phường Thuận Hóa"), ("46", "19804", "Phường Hương An"),
        ("48", "20194", "Phường Hải Vân"), ("48", "20197", "Phường Liên Chiểu"), ("48", "20200", "Phường Hòa Khánh"),
        ("48", "20209", "Phường Thanh Khê"), ("48", "20242", "Phường Hải Châu"),
        ("51", "21025", "Phường Cẩm Thành"), ("51", "21028", "Phường Nghĩa Lộ"), ("51", "21172", "Phường Trương Quang Trọng"),
        ("51", "21439", "Phường Đức Phổ"), ("51", "21451", "Phường Trà Câu"),
        ("52", "21553", "Phường Quy Nhơn Bắc"), ("52", "21583", "Phường Quy Nhơn"), ("52", "21589", "Phường Quy Nhơn Tây"),
        ("52", "21592", "Phường Quy Nhơn Nam"), ("52", "21601", "Phường Quy Nhơn Đông"),
        ("56", "22333", "Phường Bắc Nha Trang"), ("56", "22366", "Phường Nha Trang"), ("56", "22390", "Phường Tây Nha Trang"),
        ("56", "22402", "Phường Nam Nha Trang"), ("56", "22411", "Phường Bắc Cam Ranh"),
        ("66", "22015", "Phường Tuy Hòa"), ("66", "22045", "Phường Bình Kiến"), ("66", "22051", "Phường Sông Cầu"),
        ("66", "22076", "Phường Xuân Đài"), ("66", "22240", "Phường Phú Yên"),
        ("68", "22918", "Phường Mũi Né"), ("68", "22924", "Phường Phú Thủy"), ("68", "22933", "Phường Hàm Thắng"),
        ("68", "22945", "Phường Phan Thiết"), ("68", "22954", "Phường Tiến Thành"),
        ("75", "25195", "Phường Bình Phước"), ("75", "25210", "Phường Đồng Xoài"), ("75", "25217", "Phường Phước Long"),
        ("75", "25220", "Phường Phước Bình"), ("75", "25326", "Phường Bình Long"),
        ("79", "25747", "Phường Thủ Dầu Một"), ("79", "25750", "Phường Phú Lợi"), ("79", "25760", "Phường Bình Dương"),
        ("79", "25768", "Phường Phú An"), ("79", "25771", "Phường Chánh Hiệp"),
        ("80", "25459", "Phường Tân Ninh"), ("80", "25480", "Phường Bình Minh"), ("80", "25567", "Phường Ninh Thạnh"),
        ("80", "25630", "Phường Long Hoa"), ("80", "25633", "Phường Thanh Điền"),
        ("82", "29944", "Xã An Phước"), ("82", "28249", "Phường Đạo Thạnh"), ("82", "28261", "Phường Mỹ Tho"),
        ("82", "28270", "Phường Thới Sơn"), ("82", "28273", "Phường Mỹ Phong"),
        ("86", "28756", "Phường Phú Khương"), ("86", "28777", "Phường An Hội"), ("86", "28783", "Phường Sơn Đông"),
        ("86", "28789", "Phường Bến Tre"), ("86", "28858", "Phường Phú Tân"),
        ("91", "30292", "Phường Bình Đức"), ("91", "30301", "Phường Mỹ Thới"), ("91", "30307", "Phường Long Xuyên"),
        ("91", "30316", "Phường Châu Đốc"), ("91", "30325", "Phường Vĩnh Tế"),
        ("92", "31120", "Phường Cái Khế"), ("92", "31135", "Phường Ninh Kiều"), ("92", "31147", "Phường Tân An"),
        ("92", "31150", "Phường An Bình"), ("92", "31153", "Phường Ô Môn"),
        ("96", "31825", "Phường Bạc Liêu"), ("96", "31834", "Phường Vĩnh Trạch"), ("96", "31840", "Phường Hiệp Thành"),
        ("96", "31942", "Phường Giá Rai"), ("96", "31951", "Phường Láng Tròn"),
    ];

    public static readonly IReadOnlyList<Commune> Communes =
        CommuneRows.Select(r => new Commune(r.Code, r.Name, r.Province)).ToArray();

    /// <summary>The 63 old province codes (CCCD prefix) and the current province each one now belongs to.</summary>
    public static readonly IReadOnlyDictionary<string, string> BirthProvinceToCurrent = new Dictionary<string, string>
    {
        ["001"] = "01", ["002"] = "08", ["004"] = "04", ["006"] = "19", ["008"] = "08", ["010"] = "15",
        ["011"] = "11", ["012"] = "12", ["014"] = "14", ["015"] = "15", ["017"] = "25", ["019"] = "19",
        ["020"] = "20", ["022"] = "22", ["024"] = "24", ["025"] = "25", ["026"] = "25", ["027"] = "24",
        ["030"] = "31", ["031"] = "31", ["033"] = "33", ["034"] = "33", ["035"] = "37", ["036"] = "37",
        ["037"] = "37", ["038"] = "38", ["040"] = "40", ["042"] = "42", ["044"] = "44", ["045"] = "44",
        ["046"] = "46", ["048"] = "48", ["049"] = "48", ["051"] = "51", ["052"] = "52", ["054"] = "66",
        ["056"] = "56", ["058"] = "56", ["060"] = "68", ["062"] = "51", ["064"] = "52", ["066"] = "66",
        ["067"] = "68", ["068"] = "68", ["070"] = "75", ["072"] = "80", ["074"] = "79", ["075"] = "75",
        ["077"] = "79", ["079"] = "79", ["080"] = "80", ["082"] = "82", ["083"] = "86", ["084"] = "86",
        ["086"] = "86", ["087"] = "82", ["089"] = "91", ["091"] = "91", ["092"] = "92", ["093"] = "92",
        ["094"] = "92", ["095"] = "96", ["096"] = "96",
    };

    public static readonly IReadOnlyList<string> BirthProvinceCodes = BirthProvinceToCurrent.Keys.Order(StringComparer.Ordinal).ToArray();

    private static readonly Dictionary<string, Province> ProvinceByCode = Provinces.ToDictionary(p => p.Code);
    private static readonly Dictionary<string, Commune> CommuneByCode = Communes.ToDictionary(c => c.Code);

    private static readonly Dictionary<string, Commune[]> CommunesByProvince =
        Communes.GroupBy(c => c.ProvinceCode).ToDictionary(g => g.Key, g => g.ToArray());

    private static readonly Dictionary<string, string[]> BirthCodesByProvince =
        BirthProvinceToCurrent.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray());

    public static Province Province(string code) => ProvinceByCode[code];

    public static Commune Commune(string code) => CommuneByCode[code];

    public static IReadOnlyList<Commune> CommunesOf(string provinceCode) => CommunesByProvince[provinceCode];

    public static IReadOnlyList<string> BirthCodesOf(string provinceCode) => BirthCodesByProvince[provinceCode];

    public static string ProvinceDisplayName(Province p) => p.IsCity ? $"Thành phố {p.Name}" : $"Tỉnh {p.Name}";
}
