using System.ServiceModel;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using OneStop.Schemas.Soap;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

public sealed class SoapLookupTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Endpoint => new(fixture.Hub.HttpAddress, "/soap/lookup");

    private ILookupSoap CreateClient(out ChannelFactory<ILookupSoap> factory)
    {
        factory = SoapClients.Factory<ILookupSoap>(Endpoint);
        return factory.CreateChannel();
    }

    [Fact]
    public async Task Wsdl_is_document_literal_and_lists_the_four_lookups()
    {
        using var http = fixture.Hub.CreateHttpClient();
        var wsdl = XDocument.Parse(await http.GetStringAsync(new Uri("/soap/lookup?wsdl", UriKind.Relative), Ct));

        var operations = wsdl.Descendants(Wsdl + "portType").Descendants(Wsdl + "operation").Select(o => (string?)o.Attribute("name"));
        operations.ShouldBe(["VerifyCitizen", "GetEnterprise", "GetInsurance", "GetLandParcel"], ignoreOrder: true);

        var binding = wsdl.Descendants(WsdlSoap + "binding").ShouldHaveSingleItem();
        ((string?)binding.Attribute("style") ?? "document").ShouldBe("document");
        wsdl.Descendants(WsdlSoap + "body").Select(b => (string?)b.Attribute("use")).Distinct().ShouldBe(["literal"]);
        wsdl.Descendants(WsdlSoap + "address").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Wcf_client_verifies_the_documented_citizen()
    {
        var client = CreateClient(out var factory);
        using (factory)
        {
            var reply = await client.VerifyCitizen(new VerifyCitizenRequest
            {
                SoDinhDanh = "038085000123", HoVaTen = "Nguyễn Văn An", NgayThangNamSinh = "1985-03-15",
            });
            reply.CongDan!.HoVaTen.ShouldBe("Nguyễn Văn An");
            reply.CongDan.GioiTinh.ShouldBe("NAM");
            reply.Meta!.Nguon.ShouldBe("population");
        }
    }

    [Fact]
    public async Task Wcf_client_reads_enterprise_insurance_and_land()
    {
        var client = CreateClient(out var factory);
        using (factory)
        {
            var enterprise = await client.GetEnterprise(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" });
            enterprise.DoanhNghiep!.TenTiengViet.ShouldBe("Công ty TNHH Một Cửa Số");
            enterprise.DoanhNghiep.NganhNgheKinhDoanh.ShouldNotBeEmpty();

            var insurance = await client.GetInsurance(new GetInsuranceRequest { MaSoBHXH = "3820000123" });
            insurance.SoBHXH!.SoDinhDanh.ShouldBe("038085000123");
            insurance.SoBHXH.TheBHYT!.MaThe!.Length.ShouldBe(15);

            var land = await client.GetLandParcel(new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 });
            land.ThuaDat!.SoThuTuThua.ShouldBe(345);
            land.ThuaDat.GiayChungNhan!.ChuSuDung.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public async Task Invalid_cccd_is_a_client_fault_naming_the_soap_field_and_rule()
    {
        var client = CreateClient(out var factory);
        using (factory)
        {
            var fault = await Should.ThrowAsync<FaultException<LookupFault>>(() => client.VerifyCitizen(new VerifyCitizenRequest { SoDinhDanh = "12345" }));
            fault.Detail.Code.ShouldBe("INVALID_ARGUMENT");
            fault.Detail.Field.ShouldBe("SoDinhDanh");
            fault.Reason.ToString().ShouldStartWith("SoDinhDanh: must be 12 digits");
            fault.Reason.ToString().ShouldNotContain("   at "); // no stack trace
        }
    }

    [Fact]
    public async Task Wrong_mst_check_digit_and_unknown_citizen_are_distinct_faults()
    {
        var client = CreateClient(out var factory);
        using (factory)
        {
            var invalid = await Should.ThrowAsync<FaultException<LookupFault>>(() => client.GetEnterprise(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234565" }));
            invalid.Detail.Code.ShouldBe("INVALID_ARGUMENT");
            invalid.Detail.Field.ShouldBe("MaSoDoanhNghiep");

            var missing = await Should.ThrowAsync<FaultException<LookupFault>>(() => client.VerifyCitizen(new VerifyCitizenRequest { SoDinhDanh = "038085999999" }));
            missing.Detail.Code.ShouldBe("NOT_FOUND");
            missing.Detail.Upstream.ShouldBe("population");
        }
    }

    [Fact]
    public async Task Replies_on_the_wire_validate_against_the_schema_in_the_served_wsdl()
    {
        using var http = fixture.Hub.CreateHttpClient();
        var wsdl = XDocument.Parse(await http.GetStringAsync(new Uri("/soap/lookup?wsdl", UriKind.Relative), Ct));
        var schemas = new XmlSchemaSet();
        foreach (var schema in wsdl.Descendants(Xsd + "schema"))
        {
            // Imports between the WSDL's inline schemas have no schemaLocation: the set resolves them by namespace.
            schemas.Add(XmlSchema.Read(schema.CreateReader(), null)!);
        }

        schemas.Compile();
        var body = await PostAsync(http, "GetEnterprise",
            "<GetEnterprise xmlns=\"http://onestop.lgsp/lookup/v1\"><request><MaSoDoanhNghiep>2801234564</MaSoDoanhNghiep></request></GetEnterprise>");
        var response = body.Elements().ShouldHaveSingleItem();
        response.Name.LocalName.ShouldBe("GetEnterpriseResponse");
        var errors = new List<string>();
        new XDocument(response).Validate(schemas, (_, e) => errors.Add(e.Message));
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Malformed_xml_gets_a_fault_and_the_next_call_is_served()
    {
        using var http = fixture.Hub.CreateHttpClient();
        using var content = new StringContent("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetEnterprise>", Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/GetEnterprise\"");
        using var bad = await http.PostAsync(Endpoint, content, Ct);
        ((int)bad.StatusCode).ShouldBeGreaterThanOrEqualTo(400);
        var text = await bad.Content.ReadAsStringAsync(Ct);
        text.ShouldNotContain("   at ");

        var client = CreateClient(out var factory);
        using (factory)
        {
            (await client.GetEnterprise(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" })).DoanhNghiep.ShouldNotBeNull();
        }
    }

    private async Task<XElement> PostAsync(HttpClient http, string operation, string payload)
    {
        using var content = new StringContent(
            $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{payload}</s:Body></s:Envelope>", Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", $"\"http://onestop.lgsp/lookup/v1/LookupService/{operation}\"");
        content.Headers.Add("x-api-key", SoapClients.DemoKey);
        using var response = await http.PostAsync(Endpoint, content, Ct);
        var envelope = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        response.IsSuccessStatusCode.ShouldBeTrue(envelope.ToString());
        return envelope.Root!.Element(Soap + "Body")!;
    }
}
