using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters.Generic;
using OneStop.Mappings;
using OneStop.Mocks;
using OneStop.Schemas.Canonical;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

/// <summary>
/// How the built-in lookups' replies are judged now that no code is specific to them: the refusals the population,
/// insurance and land adapters recognised in code come from their definition files, with the same messages.
/// </summary>
public sealed class BuiltInLookupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(IHost Host, ILookupAdapter<TQuery, TRecord> Adapter)> StartAsync<TQuery, TRecord>(string id, MockServer mock)
        where TRecord : class
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(TestUpstreamSettings.For(id, mock));
        builder.Services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
        GenericUpstreamRegistration.AddGenericUpstreams(builder.Services);
        GenericUpstreamRegistration.AddBuiltInLookup(builder.Services, id);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return (host, host.Services.GetRequiredService<ILookupAdapter<TQuery, TRecord>>());
    }

    private static UpstreamCall Call => new(Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Population_error_code_other_than_0_is_a_refusal_naming_the_code_and_message()
    {
        await using var mock = await PopulationMock.StartAsync(SyntheticDataset.Default);
        var (host, adapter) = await StartAsync<CitizenQuery, CongDan>(BuiltInLookups.Population, mock);
        using (host)
        {
            var e = await Should.ThrowAsync<UpstreamException>(() => adapter.LookupAsync(new CitizenQuery(), Call, Ct));

            e.Failure.ShouldBe(UpstreamFailure.Rejected);
            e.Message.ShouldBe($"upstream population rejected the request: error_code {PopulationMock.InvalidRequestErrorCode}: Thiếu SoDinhDanh hoặc SoCMND.");
            mock.BusinessCalls.ShouldBe(1, "a refusal is not retried");
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task Insurance_error_code_other_than_0_is_a_refusal_naming_the_code_and_message()
    {
        await using var mock = await InsuranceMock.StartAsync(SyntheticDataset.Default);
        var (host, adapter) = await StartAsync<InsuranceQuery, SoBhxh>(BuiltInLookups.Insurance, mock);
        using (host)
        {
            var e = await Should.ThrowAsync<UpstreamException>(() => adapter.LookupAsync(new InsuranceQuery(), Call, Ct));

            e.Failure.ShouldBe(UpstreamFailure.Rejected);
            e.Message.ShouldBe($"upstream insurance rejected the request: error_code {InsuranceMock.InvalidRequestErrorCode}: Thiếu MaSoBHXH hoặc SoDinhDanh.");
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public void A_folder_without_a_built_in_lookups_definition_is_refused_naming_the_operation()
    {
        using var folder = new MappingFolderCopy();
        new RequiredUpstream(BuiltInLookups.Land).Check(MappingLoader.LoadFolder(folder.Files)).ShouldBeEmpty();

        File.Delete(Path.Combine(folder.Files, "upstreams", "land.yaml"));

        new RequiredUpstream(BuiltInLookups.Land).Check(MappingLoader.LoadFolder(folder.Files)).Select(e => e.ToString())
            .ShouldBe(["upstreams/land.yaml: $: LookupService/GetLandParcel is served by upstream 'land', which the folder no longer defines"]);
    }
}
