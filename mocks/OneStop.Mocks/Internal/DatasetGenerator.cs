using System.Globalization;

namespace OneStop.Mocks.Internal;

/// <summary>
/// Builds a <see cref="SyntheticDataset"/> from one seeded <see cref="Random"/>. Citizens come in households
/// (a couple, their children, sometimes a grandparent) so household heads, parents and spouses point at
/// each other; businesses, insurance and land then draw their people from the citizens.
/// </summary>
internal sealed class DatasetGenerator
{
    private const int TargetCitizens = 1000;
    private const int BusinessCount = 200;
    private const int LandParcelCount = 400;
    private const int MinBirthYear = 1940;
    private const int MaxBirthYear = 2008;
    private const int MaxIssuedSerial = 899_999; // serials 900000–999999 are never issued: safe not-found ids

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DateOnly AsOf = SyntheticDataset.GeneratedAsOf;

    private readonly Random _rng;
    private readonly int _seed;
    private readonly List<Citizen> _citizens = [];
    private readonly List<Business> _businesses = [];
    private readonly List<InsuranceRecord> _insurance = [];
    private readonly List<LandParcel> _parcels = [];
    private readonly HashSet<string> _usedCccd = new(StringComparer.Ordinal) { DocumentedSamples.AbsentSoDinhDanh };
    private readonly HashSet<string> _usedCmnd = new(StringComparer.Ordinal) { DocumentedSamples.AbsentSoCMND };
    private readonly HashSet<string> _usedMst = new(StringComparer.Ordinal) { DocumentedSamples.AbsentMaSoDoanhNghiep };
    private readonly HashSet<string> _usedBhxh = new(StringComparer.Ordinal) { DocumentedSamples.AbsentMaSoBHXH };
    private readonly HashSet<string> _usedCompanyNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedCertificates = new(StringComparer.Ordinal);
    private readonly HashSet<(string, int, int)> _usedParcels = [];

    private DatasetGenerator(int seed)
    {
        _seed = seed;
        _rng = new Random(seed);
    }

    public static SyntheticDataset Generate(int seed)
    {
        var generator = new DatasetGenerator(seed);
        return generator.Run();
    }

    private SyntheticDataset Run()
    {
        // Reserve the documented identifiers first so random draws never collide with them.
        _usedCccd.UnionWith([DocumentedSamples.CitizenSoDinhDanh, SampleWifeId, SampleSonId]);
        _usedCmnd.UnionWith([DocumentedSamples.CitizenSoCMND, SampleWifeCmnd]);
        _usedMst.Add(DocumentedSamples.BusinessMaSoDoanhNghiep);
        _usedBhxh.Add(DocumentedSamples.CitizenMaSoBHXH);
        _usedCompanyNames.Add(DocumentedSamples.BusinessTenTiengViet);
        _usedParcels.Add((DocumentedSamples.LandMaPhuongXa, DocumentedSamples.LandSoHieuBanDo, DocumentedSamples.LandSoThuTuThua));
        _usedCertificates.Add("CS 123456");

        AddSampleHousehold();
        while (_citizens.Count < TargetCitizens)
        {
            AddHousehold();
        }

        AddSampleBusiness();
        while (_businesses.Count < BusinessCount)
        {
            AddBusiness();
        }

        AddInsurance();

        AddSampleParcel();
        while (_parcels.Count < LandParcelCount)
        {
            AddParcel();
        }

        return new SyntheticDataset(_seed, _citizens, _businesses, _insurance, _parcels);
    }

    // ---------------------------------------------------------------- citizens

    private const string SampleWifeId = "038187000456";
    private const string SampleWifeCmnd = "172000456";
    private const string SampleSonId = "038208000789";

    private sealed class Person
    {
        public required string Id { get; init; }
        public string? Cmnd { get; init; }
        public required string Ho { get; init; }
        public required string Dem { get; init; }
        public required string Ten { get; init; }
        public required Gender Gender { get; init; }
        public required DateOnly Birth { get; init; }
        public required string BirthCode { get; init; }
        public string FullName => $"{Ho} {Dem} {Ten}";
        public RelativeRef Ref => new() { HoVaTen = FullName, SoDinhDanh = Id };
    }

    private sealed record Member(Person Person, string QuanHe, RelativeRef? Cha, RelativeRef? Me, RelativeRef? VoChong);

    private void AddSampleHousehold()
    {
        var commune = AdministrativeUnits.Commune(DocumentedSamples.LandMaPhuongXa);
        var home = MakeAddress(commune, "Số 12 Lê Lợi");
        var an = new Person
        {
            Id = DocumentedSamples.CitizenSoDinhDanh, Cmnd = DocumentedSamples.CitizenSoCMND,
            Ho = "Nguyễn", Dem = "Văn", Ten = "An", Gender = Gender.Male, Birth = DocumentedSamples.CitizenNgaySinh, BirthCode = "038",
        };
        var hoa = new Person
        {
            Id = SampleWifeId, Cmnd = SampleWifeCmnd,
            Ho = "Lê", Dem = "Thị", Ten = "Hoa", Gender = Gender.Female, Birth = new DateOnly(1987, 6, 20), BirthCode = "038",
        };
        var khoi = new Person
        {
            Id = SampleSonId, Ho = "Nguyễn", Dem = "Minh", Ten = "Khôi", Gender = Gender.Male, Birth = new DateOnly(2008, 9, 2), BirthCode = "038",
        };
        Member[] members =
        [
            new(an, "Chủ hộ", new RelativeRef { HoVaTen = "Nguyễn Văn Bình" }, new RelativeRef { HoVaTen = "Trần Thị Lan" }, hoa.Ref),
            new(hoa, "Vợ", new RelativeRef { HoVaTen = "Lê Văn Tùng" }, new RelativeRef { HoVaTen = "Phạm Thị Mai" }, an.Ref),
            new(khoi, "Con", an.Ref, hoa.Ref, null),
        ];
        AddMembers(members, home, home, "Kinh", "Không");
    }

    private void AddHousehold()
    {
        var headBirthCode = _rng.NextDouble() < 0.35 ? "038" : Pick(AdministrativeUnits.BirthProvinceCodes);
        var province = AdministrativeUnits.BirthProvinceToCurrent[headBirthCode];
        if (_rng.NextDouble() < 0.08)
        {
            province = Pick(["01", "79", "48", "31"]); // moved to a big city
        }

        var home = RandomAddress(province);
        var ethnicity = PickWeighted(ReferenceLists.Ethnicities);
        var religion = PickWeighted(ReferenceLists.Religions);
        var members = new List<Member>();

        var roll = _rng.NextDouble();
        if (roll < 0.14)
        {
            // One adult living alone.
            var gender = _rng.NextDouble() < 0.5 ? Gender.Male : Gender.Female;
            var single = NewPerson(RandomFamilyName(), gender, RandomDate(_rng.Next(MinBirthYear, 1991)), headBirthCode);
            members.Add(new Member(single, "Chủ hộ", NameOnlyParent(single.Ho, Gender.Male, single.Birth), NameOnlyParent(RandomFamilyName(), Gender.Female, single.Birth), null));
        }
        else if (roll < 0.26)
        {
            // A mother raising her children.
            var mother = NewPerson(RandomFamilyName(), Gender.Female, RandomDate(_rng.Next(1950, 1989)), headBirthCode);
            members.Add(new Member(mother, "Chủ hộ", NameOnlyParent(mother.Ho, Gender.Male, mother.Birth), NameOnlyParent(RandomFamilyName(), Gender.Female, mother.Birth), null));
            var fatherHo = RandomFamilyName();
            var father = new RelativeRef { HoVaTen = RandomFullName(fatherHo, Gender.Male, mother.Birth.Year - 2) };
            foreach (var child in Children(mother.Birth.Year, fatherHo, province))
            {
                members.Add(new Member(child, "Con", father, mother.Ref, null));
            }
        }
        else
        {
            var withGrandparent = roll >= 0.86;
            var headYear = withGrandparent ? _rng.Next(1962, 1989) : _rng.Next(MinBirthYear, 1989);
            var head = NewPerson(RandomFamilyName(), Gender.Male, RandomDate(headYear), headBirthCode);
            var wifeYear = Math.Clamp(headYear + _rng.Next(-3, 7), MinBirthYear, 1990);
            var wifeBirthCode = _rng.NextDouble() < 0.7 ? headBirthCode : Pick(AdministrativeUnits.BirthProvinceCodes);
            var wife = NewPerson(RandomFamilyName(), Gender.Female, RandomDate(wifeYear), wifeBirthCode);

            RelativeRef? headFather = NameOnlyParent(head.Ho, Gender.Male, head.Birth);
            RelativeRef? headMother = NameOnlyParent(RandomFamilyName(), Gender.Female, head.Birth);
            Person? grandparent = null;
            if (withGrandparent)
            {
                var grandGender = _rng.NextDouble() < 0.7 ? Gender.Female : Gender.Male;
                var grandYear = _rng.Next(MinBirthYear, Math.Max(MinBirthYear + 1, headYear - 19));
                var grandHo = grandGender == Gender.Male ? head.Ho : RandomFamilyName();
                grandparent = NewPerson(grandHo, grandGender, RandomDate(grandYear), headBirthCode);
                if (grandGender == Gender.Male)
                {
                    headFather = grandparent.Ref;
                }
                else
                {
                    headMother = grandparent.Ref;
                }
            }

            members.Add(new Member(head, "Chủ hộ", headFather, headMother, wife.Ref));
            members.Add(new Member(wife, "Vợ", NameOnlyParent(wife.Ho, Gender.Male, wife.Birth), NameOnlyParent(RandomFamilyName(), Gender.Female, wife.Birth), head.Ref));
            foreach (var child in Children(wifeYear, head.Ho, province))
            {
                members.Add(new Member(child, "Con", head.Ref, wife.Ref, null));
            }

            if (grandparent is not null)
            {
                members.Add(new Member(grandparent, grandparent.Gender == Gender.Male ? "Cha" : "Mẹ", null, null, null));
            }
        }

        var current = _rng.NextDouble() < 0.1 ? RandomAddress(Pick(["01", "79", "48", province])) : home;
        AddMembers(members, home, current, ethnicity, religion);
    }

    private IEnumerable<Person> Children(int motherYear, string ho, string province)
    {
        var count = PickWeighted<int>([(0, 15), (1, 30), (2, 40), (3, 15)]);
        var year = motherYear + _rng.Next(20, 30);
        for (var i = 0; i < count && year <= MaxBirthYear; i++)
        {
            var gender = _rng.NextDouble() < 0.51 ? Gender.Male : Gender.Female;
            yield return NewPerson(ho, gender, RandomDate(year), Pick(AdministrativeUnits.BirthCodesOf(province)));
            year += _rng.Next(2, 7);
        }
    }

    private void AddMembers(IReadOnlyList<Member> members, Address home, Address current, string ethnicity, string religion)
    {
        var head = members[0].Person;
        foreach (var m in members)
        {
            var p = m.Person;
            // Grown-up children sometimes live and work elsewhere.
            var livesAt = m.QuanHe == "Con" && AsOf.Year - p.Birth.Year >= 22 && _rng.NextDouble() < 0.3
                ? RandomAddress(Pick(["01", "79", current.MaTinhThanh]))
                : current;
            _citizens.Add(new Citizen
            {
                SoDinhDanh = p.Id,
                SoCMND = p.Cmnd,
                Ho = p.Ho,
                TenDem = p.Dem,
                Ten = p.Ten,
                HoVaTen = p.FullName,
                GioiTinh = p.Gender,
                NgaySinh = p.Birth,
                DanToc = m.QuanHe == "Vợ" && _rng.NextDouble() < 0.1 ? PickWeighted(ReferenceLists.Ethnicities) : ethnicity,
                TonGiao = religion,
                QuocTich = "Việt Nam",
                MaTinhKhaiSinh = p.BirthCode,
                ThuongTru = home,
                NoiOHienTai = livesAt,
                ChuHo = new HouseholdHeadRef { HoVaTen = head.FullName, SoDinhDanh = head.Id, QuanHe = m.QuanHe },
                Cha = m.Cha,
                Me = m.Me,
                VoChong = m.VoChong,
            });
        }
    }

    private Person NewPerson(string ho, Gender gender, DateOnly birth, string birthCode)
    {
        var (dem, ten) = RandomGivenName(gender, birth.Year);
        return new Person
        {
            Id = NewCccd(birthCode, gender, birth.Year),
            Cmnd = birth.Year < 1990 ? NewCmnd() : null,
            Ho = ho,
            Dem = dem,
            Ten = ten,
            Gender = gender,
            Birth = birth,
            BirthCode = birthCode,
        };
    }

    private RelativeRef? NameOnlyParent(string ho, Gender gender, DateOnly childBirth) =>
        _rng.NextDouble() < 0.15 ? null : new RelativeRef { HoVaTen = RandomFullName(ho, gender, childBirth.Year - 25) };

    private string RandomFullName(string ho, Gender gender, int birthYear)
    {
        var (dem, ten) = RandomGivenName(gender, birthYear);
        return $"{ho} {dem} {ten}";
    }

    private (string Dem, string Ten) RandomGivenName(Gender gender, int birthYear)
    {
        // Older generations mostly carry the classic middle names Văn / Thị.
        var classicShare = birthYear < 1975 ? 0.7 : birthYear < 1995 ? 0.35 : 0.1;
        var dem = _rng.NextDouble() < classicShare
            ? (gender == Gender.Male ? "Văn" : "Thị")
            : Pick(gender == Gender.Male ? ReferenceLists.MaleMiddleNames : ReferenceLists.FemaleMiddleNames);
        var ten = Pick(gender == Gender.Male ? ReferenceLists.MaleGivenNames : ReferenceLists.FemaleGivenNames);
        return (dem, ten);
    }

    private string RandomFamilyName() => PickWeighted(ReferenceLists.FamilyNames);

    private string NewCccd(string birthCode, Gender gender, int birthYear)
    {
        var prefix = string.Concat(birthCode, Identifiers.CccdGenderCentury(gender, birthYear).ToString(), (birthYear % 100).ToString("D2", Inv));
        while (true)
        {
            var id = prefix + _rng.Next(0, MaxIssuedSerial + 1).ToString("D6", Inv);
            if (_usedCccd.Add(id))
            {
                return id;
            }
        }
    }

    private string NewCmnd()
    {
        while (true)
        {
            var id = _rng.Next(0, 4).ToString(Inv) + _rng.Next(0, 100_000_000).ToString("D8", Inv);
            if (_usedCmnd.Add(id))
            {
                return id;
            }
        }
    }

    private Address RandomAddress(string provinceCode)
    {
        var commune = Pick(AdministrativeUnits.CommunesOf(provinceCode));
        var detail = commune.IsWard
            ? $"Số {_rng.Next(1, 300)} {Pick(ReferenceLists.Streets)}"
            : $"{(_rng.NextDouble() < 0.5 ? "Thôn" : "Xóm")} {_rng.Next(1, 15)}";
        return MakeAddress(commune, detail);
    }

    private static Address MakeAddress(Commune commune, string detail)
    {
        var province = AdministrativeUnits.Province(commune.ProvinceCode);
        return new Address
        {
            MaTinhThanh = province.Code,
            MaPhuongXa = commune.Code,
            ChiTiet = $"{detail}, {commune.Name}, {AdministrativeUnits.ProvinceDisplayName(province)}",
        };
    }

    // ---------------------------------------------------------------- businesses

    private void AddSampleBusiness()
    {
        var an = _citizens[0];
        var commune = AdministrativeUnits.Commune(DocumentedSamples.LandMaPhuongXa);
        _businesses.Add(new Business
        {
            MaSoDoanhNghiep = DocumentedSamples.BusinessMaSoDoanhNghiep,
            SoGCNDKKD = DocumentedSamples.BusinessMaSoDoanhNghiep,
            TenTiengViet = DocumentedSamples.BusinessTenTiengViet,
            MaLoaiHinhDN = "2",
            NgayDangKyLanDau = new DateOnly(2015, 6, 1),
            TinhTrangPhapLy = "Đang hoạt động",
            DaiDienPhapLuat = [new LegalRepresentative { HoVaTen = an.HoVaTen, ChucDanh = "Giám đốc", SoDinhDanh = an.SoDinhDanh }],
            DiaChiTruSo = [MakeAddress(commune, "Số 45 Trần Phú")],
            NganhNgheKinhDoanh =
            [
                Line("6201", main: true), Line("6202", main: false), Line("6311", main: false),
            ],
        });
    }

    private void AddBusiness()
    {
        var province = _rng.NextDouble() < 0.5 ? "38" : Pick(AdministrativeUnits.Provinces).Code;
        var form = PickWeighted(ReferenceLists.LegalForms.Select(f => (f, f.Weight)).ToArray());
        var registered = RandomDate(new DateOnly(1995, 1, 1), new DateOnly(2024, 12, 31));

        string name;
        do
        {
            var core = Pick(ReferenceLists.CompanyCores);
            name = form.Code == "1"
                ? $"{form.Prefix} {core}"
                : $"{form.Prefix} {Pick(ReferenceLists.CompanyFields)} {core}";
        }
        while (!_usedCompanyNames.Add(name));

        var reps = new List<LegalRepresentative> { Representative(province, registered, form.Title) };
        if (form.Code == "4" && _rng.NextDouble() < 0.25)
        {
            var chair = Representative(province, registered, "Chủ tịch Hội đồng quản trị");
            if (chair.SoDinhDanh != reps[0].SoDinhDanh)
            {
                reps.Add(chair);
            }
        }

        var lineCodes = new List<string>();
        var lineCount = _rng.Next(1, 5);
        while (lineCodes.Count < lineCount)
        {
            var code = Pick(ReferenceLists.Vsic).Code;
            if (!lineCodes.Contains(code))
            {
                lineCodes.Add(code);
            }
        }

        var mst = NewMst(province);
        _businesses.Add(new Business
        {
            MaSoDoanhNghiep = mst,
            SoGCNDKKD = mst,
            TenTiengViet = name,
            MaLoaiHinhDN = form.Code,
            NgayDangKyLanDau = registered,
            TinhTrangPhapLy = PickWeighted(ReferenceLists.LegalStatuses),
            DaiDienPhapLuat = reps,
            DiaChiTruSo = [RandomAddress(province)],
            NganhNgheKinhDoanh = lineCodes.Select((c, i) => Line(c, main: i == 0)).ToArray(),
        });
    }

    private LegalRepresentative Representative(string province, DateOnly registered, string title)
    {
        Citizen? pick = null;
        for (var attempt = 0; attempt < 200 && pick is null; attempt++)
        {
            var c = _citizens[_rng.Next(_citizens.Count)];
            var oldEnough = c.NgaySinh.AddYears(21) <= registered;
            var local = attempt >= 100 || c.NoiOHienTai.MaTinhThanh == province;
            if (oldEnough && local)
            {
                pick = c;
            }
        }

        pick ??= _citizens.First(c => c.NgaySinh.AddYears(21) <= registered);
        return new LegalRepresentative { HoVaTen = pick.HoVaTen, ChucDanh = title, SoDinhDanh = pick.SoDinhDanh };
    }

    private static BusinessLine Line(string code, bool main) => new()
    {
        MaNganh = code,
        TenNganh = ReferenceLists.Vsic.First(v => v.Code == code).Name,
        LaNganhChinh = main,
    };

    private string NewMst(string province)
    {
        var prefix = ReferenceLists.TaxPrefixByProvince.GetValueOrDefault(province) ?? Pick(ReferenceLists.DefaultTaxPrefixes);
        while (true)
        {
            var first9 = prefix + _rng.Next(0, 10_000_000).ToString("D7", Inv);
            if (Identifiers.MstCheckDigit(first9) is not { } check)
            {
                continue; // a check digit of 10 cannot be written: such prefixes are never issued
            }

            var mst = first9 + check.ToString(Inv);
            if (_usedMst.Add(mst))
            {
                return mst;
            }
        }
    }

    // ---------------------------------------------------------------- insurance

    private void AddInsurance()
    {
        var an = _citizens[0];
        var firstEmployer = _businesses.Skip(1).FirstOrDefault(b => b.NgayDangKyLanDau.Year < 2010 && b.DiaChiTruSo[0].MaTinhThanh == "38")
            ?? _businesses.Skip(1).First(b => b.NgayDangKyLanDau.Year < 2010);
        _insurance.Add(new InsuranceRecord
        {
            MaSoBHXH = DocumentedSamples.CitizenMaSoBHXH,
            SoDinhDanh = an.SoDinhDanh,
            HoTen = an.HoVaTen,
            NgaySinh = an.NgaySinh,
            GioiTinh = an.GioiTinh,
            QuaTrinhThamGia =
            [
                Compulsory(firstEmployer, new DateOnly(2010, 1, 1), new DateOnly(2015, 5, 1)),
                Compulsory(_businesses[0], new DateOnly(2015, 6, 1), null),
            ],
            TheBHYT = new HealthInsuranceCard { MaThe = DocumentedSamples.CitizenTheBHYT, NoiDangKyKCB = "38001", ValidityYearOffset = 0 },
        });

        foreach (var c in _citizens.Skip(1))
        {
            var age = AgeAt(c.NgaySinh, AsOf);
            var share = age < 18 ? 0.35 : age <= 62 ? 0.66 : 0.5;
            if (_rng.NextDouble() >= share)
            {
                continue;
            }

            var number = NewBhxh(c.ThuongTru.MaTinhThanh);
            var periods = age < 18 ? [] : Periods(c);
            var ongoing = periods.LastOrDefault(p => p.DenThang is null);
            var (kind, benefit) = ongoing switch
            {
                { LoaiHinh: "BB" } => ("DN", '4'),
                { LoaiHinh: "TN" } => ("GD", '4'),
                _ when age < 18 => ("HS", '4'),
                _ when age >= 60 => ("HT", '3'),
                _ => ("GD", '4'),
            };
            _insurance.Add(new InsuranceRecord
            {
                MaSoBHXH = number,
                SoDinhDanh = c.SoDinhDanh,
                HoTen = c.HoVaTen,
                NgaySinh = c.NgaySinh,
                GioiTinh = c.GioiTinh,
                QuaTrinhThamGia = periods,
                TheBHYT = new HealthInsuranceCard
                {
                    MaThe = $"{kind}{benefit}{number[..2]}{number}",
                    NoiDangKyKCB = number[..2] + _rng.Next(1, 31).ToString("D3", Inv),
                    ValidityYearOffset = _rng.NextDouble() < 0.1 ? -1 : 0,
                },
            });
        }
    }

    private List<ParticipationPeriod> Periods(Citizen c)
    {
        var periods = new List<ParticipationPeriod>();
        var retirementAge = c.GioiTinh == Gender.Male ? 60 : 55;
        var retirement = FirstOfMonth(c.NgaySinh.AddYears(retirementAge));
        var start = FirstOfMonth(c.NgaySinh.AddYears(18 + _rng.Next(0, 8)).AddMonths(1 + _rng.Next(0, 12)));
        if (start.Year < 1995)
        {
            start = new DateOnly(1995 + _rng.Next(0, 6), _rng.Next(1, 13), 1);
        }

        var count = _rng.Next(1, 4);
        for (var i = 0; i < count && start < AsOf && start < retirement; i++)
        {
            var end = start.AddMonths(_rng.Next(6, 121) - 1);
            var last = i == count - 1;
            DateOnly? to = end >= AsOf || (last && end < retirement && _rng.NextDouble() < 0.6) ? null : end;
            if (to is { } t && t >= retirement)
            {
                to = retirement.AddMonths(-1);
            }

            var employers = _businesses.Where(b => b.NgayDangKyLanDau <= start).ToArray();
            if (employers.Length == 0 || _rng.NextDouble() < 0.12)
            {
                periods.Add(new ParticipationPeriod { TuThang = start, DenThang = to, MaSoThue = "", TenDonVi = "BHXH tự nguyện", LoaiHinh = "TN" });
            }
            else
            {
                periods.Add(Compulsory(Pick(employers), start, to));
            }

            if (to is null)
            {
                break;
            }

            start = to.Value.AddMonths(1 + _rng.Next(0, 13));
        }

        return periods;
    }

    private static ParticipationPeriod Compulsory(Business employer, DateOnly from, DateOnly? to) => new()
    {
        TuThang = from,
        DenThang = to,
        MaSoThue = employer.MaSoDoanhNghiep,
        TenDonVi = employer.TenTiengViet,
        LoaiHinh = "BB",
    };

    private string NewBhxh(string province)
    {
        while (true)
        {
            var number = province + _rng.Next(0, 100_000_000).ToString("D8", Inv);
            if (_usedBhxh.Add(number))
            {
                return number;
            }
        }
    }

    // ---------------------------------------------------------------- land

    private void AddSampleParcel()
    {
        var an = _citizens[0];
        var hoa = _citizens[1];
        _parcels.Add(new LandParcel
        {
            MaTinhThanh = "38",
            MaPhuongXa = DocumentedSamples.LandMaPhuongXa,
            SoHieuBanDo = DocumentedSamples.LandSoHieuBanDo,
            SoThuTuThua = DocumentedSamples.LandSoThuTuThua,
            DienTich = 152.4,
            DiaChiChiTiet = an.ThuongTru.ChiTiet,
            MucDichSuDung = "ODT",
            GiayChungNhan = new LandCertificate
            {
                SoPhatHanh = "CS 123456",
                SoVaoSo = "CS01234",
                NgayCap = new DateOnly(2019, 8, 20),
                ChuSuDung =
                [
                    new LandUser { HoVaTen = an.HoVaTen, SoDinhDanh = an.SoDinhDanh },
                    new LandUser { HoVaTen = hoa.HoVaTen, SoDinhDanh = hoa.SoDinhDanh },
                ],
            },
        });
    }

    private void AddParcel()
    {
        var province = _rng.NextDouble() < 0.6 ? "38" : Pick(AdministrativeUnits.Provinces).Code;
        var commune = Pick(AdministrativeUnits.CommunesOf(province));
        var key = (commune.Code, _rng.Next(1, 61), _rng.Next(1, 1000));
        if (!_usedParcels.Add(key))
        {
            return;
        }

        var purpose = commune.IsWard
            ? PickWeighted<string>([("ODT", 70), ("TMD", 10), ("CLN", 10), ("SKC", 10)])
            : PickWeighted<string>([("ONT", 45), ("LUC", 25), ("CLN", 15), ("BHK", 10), ("NTS", 5)]);
        var (minArea, maxArea) = purpose switch
        {
            "ODT" => (40, 300),
            "ONT" => (100, 600),
            "TMD" or "SKC" => (200, 5000),
            _ => (300, 5000),
        };
        var area = Math.Round(minArea + (_rng.NextDouble() * (maxArea - minArea)), 1);

        var owner = LandOwner(province);
        var issuedFrom = new[] { new DateOnly(2005, 1, 1), owner.NgaySinh.AddYears(18) }.Max();
        var issued = RandomDate(issuedFrom, new DateOnly(2025, 6, 30));
        var users = new List<LandUser> { new() { HoVaTen = owner.HoVaTen, SoDinhDanh = owner.SoDinhDanh } };
        if (owner.VoChong?.SoDinhDanh is { } spouseId && _rng.NextDouble() < 0.4)
        {
            users.Add(new LandUser { HoVaTen = owner.VoChong.HoVaTen, SoDinhDanh = spouseId });
        }

        string serial;
        do
        {
            serial = $"{Pick(ReferenceLists.CertificateSeries)} {_rng.Next(0, 1_000_000).ToString("D6", Inv)}";
        }
        while (!_usedCertificates.Add(serial));

        var place = commune.IsWard ? $"Số {_rng.Next(1, 300)} {Pick(ReferenceLists.Streets)}" : $"Thôn {_rng.Next(1, 15)}";
        _parcels.Add(new LandParcel
        {
            MaTinhThanh = province,
            MaPhuongXa = commune.Code,
            SoHieuBanDo = key.Item2,
            SoThuTuThua = key.Item3,
            DienTich = area,
            DiaChiChiTiet = MakeAddress(commune, place).ChiTiet,
            MucDichSuDung = purpose,
            GiayChungNhan = new LandCertificate
            {
                SoPhatHanh = serial,
                SoVaoSo = (commune.IsWard ? "CS" : "CH") + _rng.Next(0, 100_000).ToString("D5", Inv),
                NgayCap = issued,
                ChuSuDung = users,
            },
        });
    }

    private Citizen LandOwner(string province)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var c = _citizens[_rng.Next(_citizens.Count)];
            if (AgeAt(c.NgaySinh, AsOf) >= 20 && (attempt >= 100 || c.ThuongTru.MaTinhThanh == province))
            {
                return c;
            }
        }

        return _citizens.First(c => AgeAt(c.NgaySinh, AsOf) >= 20);
    }

    // ---------------------------------------------------------------- helpers

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private T PickWeighted<T>(IReadOnlyList<(T Value, int Weight)> items)
    {
        var total = items.Sum(i => i.Weight);
        var roll = _rng.Next(total);
        foreach (var (value, weight) in items)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return items[^1].Value;
    }

    private DateOnly RandomDate(int year) => new DateOnly(year, 1, 1).AddDays(_rng.Next(DateTime.IsLeapYear(year) ? 366 : 365));

    private DateOnly RandomDate(DateOnly from, DateOnly to) => from.AddDays(_rng.Next(to.DayNumber - from.DayNumber + 1));

    private static DateOnly FirstOfMonth(DateOnly d) => new(d.Year, d.Month, 1);

    internal static int AgeAt(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }
}
