using Shouldly;
using Xunit;
using static OneStop.Mappings.Tests.TestMappings;

namespace OneStop.Mappings.Tests;

public sealed class RootAndXmlTests
{
    private const string SoapRoot = """
        root:
          path: message
          parse: xml
          then: Envelope.Body.CongdanCollection.CongDan
        """;

    [Fact]
    public void Without_root_the_whole_source_is_the_record_and_null_source_is_no_record()
    {
        var m = Map("fields:\n  a: A\n");

        Run(m, """{"A":"x"}""").ShouldBe("""{"a":"x"}""");
        m.Apply(null).ShouldBeNull();
    }

    [Fact]
    public void Root_path_selects_the_record_and_null_there_means_no_record()
    {
        var m = Map("root: { path: data }\nfields:\n  a: A\n");

        Run(m, """{"data":{"A":"x"},"status":{}}""").ShouldBe("""{"a":"x"}""");
        Run(m, """{"data":null}""").ShouldBe("null");
        Run(m, "{}").ShouldBe("null");
    }

    [Fact]
    public void Root_index_past_the_end_means_no_record()
    {
        var m = Map("root: { path: \"result[0]\" }\nfields:\n  a: A\n");

        Run(m, """{"result":[{"A":"x"}]}""").ShouldBe("""{"a":"x"}""");
        Run(m, """{"result":[]}""").ShouldBe("null");
    }

    [Fact]
    public void Required_root_missing_is_a_malformed_reply_but_null_is_no_record()
    {
        var m = Map("root: { path: GetEntCert, required: true }\nfields:\n  a: A\n", "business.reply");

        Run(m, """{"GetEntCert":null}""").ShouldBe("null");
        Should.Throw<MappingException>(() => m.Apply(Json("""{"other":1}""")))
            .Message.ShouldBe("business.reply: root: required value missing at GetEntCert");
    }

    [Fact]
    public void Root_that_is_a_list_asks_for_an_index()
    {
        var m = Map("root: { path: result }\nfields:\n  a: A\n");

        Should.Throw<MappingException>(() => m.Apply(Json("""{"result":[{"A":"x"}]}""")))
            .Rule.ShouldBe("the record at result is a list; pick one item with [n]");
    }

    [Fact]
    public void Xml_in_a_json_string_is_parsed_with_namespaces_dropped()
    {
        var m = Map(SoapRoot + "\nfields:\n  ho_va_ten: HoVaTen\n  nam: NgayThangNamSinh.Nam\n");
        var message = """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><c:CongdanCollection xmlns:c="urn:dancu"><c:CongDan><c:HoVaTen>Nguyễn Văn An</c:HoVaTen><c:NgayThangNamSinh><c:Nam>1985</c:Nam></c:NgayThangNamSinh></c:CongDan></c:CongdanCollection></soap:Body></soap:Envelope>""";

        Run(m, Reply(message)).ShouldBe("""{"ho_va_ten":"Nguyễn Văn An","nam":"1985"}""");
    }

    [Fact]
    public void Xml_repeated_siblings_become_an_array_attributes_are_ignored_and_empty_elements_are_absent()
    {
        var m = Map(SoapRoot + """

            fields:
              con: { each: Con, fields: { ten: Ten } }
              ghi_chu: GhiChu
              ma: Ma
            """);
        var message = """<Envelope><Body><CongdanCollection><CongDan loai="x"><Con id="1"><Ten> An </Ten></Con><Con><Ten>Bình</Ten></Con><GhiChu/><Ma>  </Ma></CongDan></CongdanCollection></Body></Envelope>""";

        Run(m, Reply(message)).ShouldBe("""{"con":[{"ten":"An"},{"ten":"Bình"}]}""");
    }

    [Fact]
    public void Xml_with_an_empty_collection_is_no_record()
    {
        var m = Map(SoapRoot + "\nfields:\n  ho_va_ten: HoVaTen\n");

        Run(m, Reply("<Envelope><Body><CongdanCollection></CongdanCollection></Body></Envelope>")).ShouldBe("null");
        Run(m, Reply("<Envelope><Body><CongdanCollection/></Body></Envelope>")).ShouldBe("null");
    }

    [Fact]
    public void Xml_with_a_dtd_is_refused()
    {
        var m = Map(SoapRoot + "\nfields:\n  ho_va_ten: HoVaTen\n", "population.reply");
        var message = """<?xml version="1.0"?><!DOCTYPE Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Envelope><Body><CongdanCollection><CongDan><HoVaTen>&xxe;</HoVaTen></CongDan></CongdanCollection></Body></Envelope>""";

        var ex = Should.Throw<MappingException>(() => m.Apply(Json(Reply(message))));

        ex.FieldPath.ShouldBe("root");
        ex.Message.ShouldBe("population.reply: root: value at message: XML with a DTD (<!DOCTYPE>) is refused");
    }

    [Fact]
    public void Malformed_xml_is_a_mapping_error()
    {
        var m = Map(SoapRoot + "\nfields:\n  ho_va_ten: HoVaTen\n");

        var ex = Should.Throw<MappingException>(() => m.Apply(Json(Reply("<Envelope><Body>"))));

        ex.Rule.ShouldStartWith("value at message: not well-formed XML:");
    }

    [Fact]
    public void Xml_root_that_is_not_a_string_is_a_mapping_error()
    {
        var m = Map(SoapRoot + "\nfields:\n  ho_va_ten: HoVaTen\n");

        Should.Throw<MappingException>(() => m.Apply(Json("""{"message":{"a":1}}""")))
            .Rule.ShouldBe("value at message is not a string holding XML");
    }

    [Fact]
    public void Json_in_a_string_is_parsed()
    {
        var m = Map("root: { path: Data, parse: json, then: User }\nfields:\n  id: ID_local\n");

        Run(m, """{"Data":"{\"User\":{\"ID_local\":\"u1\"}}"}""").ShouldBe("""{"id":"u1"}""");
        Should.Throw<MappingException>(() => m.Apply(Json("""{"Data":"{not json"}""")))
            .Rule.ShouldStartWith("value at Data: not well-formed JSON:");
    }

    [Fact]
    public void Empty_message_string_is_no_record()
    {
        var m = Map(SoapRoot + "\nfields:\n  ho_va_ten: HoVaTen\n");

        Run(m, """{"error_code":0,"message":""}""").ShouldBe("null");
    }

    private static string Reply(string xml) => new System.Text.Json.Nodes.JsonObject { ["error_code"] = 0, ["message"] = xml }.ToJsonString();
}
