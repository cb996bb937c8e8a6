using Microsoft.Extensions.Hosting;
using OneStop.Adapters.Emc;
using OneStop.Adapters.NationalPortal;
using OneStop.Adapters.Postal;
using OneStop.Mocks;
using OneStop.Schemas.Canonical;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

public sealed class NationalPortalDeliveryCompliance : DeliveryCompliance
{
    protected override string Name => "Portal";

    protected override async Task<DestinationMock> StartMockAsync() => await PortalMock.StartAsync();

    protected override void AddAdapter(IHostApplicationBuilder builder) => builder.AddNationalPortalAdapter();

    protected override DossierEvent Wanted(string maHoSo) => TestDossierEvents.Event(maHoSo, trangThaiHoSo: 2);

    protected override DossierEvent Unmappable(string maHoSo) => TestDossierEvents.Event(maHoSo, 2) with { MaTthc = null };

    protected override void ShouldBeTheSideEffectOf(DossierEvent dossierEvent, SideEffect sideEffect)
    {
        sideEffect.Operation.ShouldBe("DongBoHoSoMC isUpdating=False");
        sideEffect.Status.ShouldBe("2");
        sideEffect.Payload.ShouldContain("\"MaTTHC\":\"1.001234.000.00.00.H56\"");
    }
}

public sealed class EmcDeliveryCompliance : DeliveryCompliance
{
    protected override string Name => "Emc";

    protected override async Task<DestinationMock> StartMockAsync() => await EmcMock.StartAsync();

    protected override void AddAdapter(IHostApplicationBuilder builder) => builder.AddEmcAdapter();

    protected override DossierEvent Wanted(string maHoSo) => TestDossierEvents.Event(maHoSo, trangThaiHoSo: 2);

    protected override DossierEvent Unmappable(string maHoSo) => TestDossierEvents.Event(maHoSo, 2) with { MaTthc = null };

    protected override void ShouldBeTheSideEffectOf(DossierEvent dossierEvent, SideEffect sideEffect)
    {
        sideEffect.Operation.ShouldBe("TrackingMCDT");
        sideEffect.Status.ShouldBe("1");
        sideEffect.Payload.ShouldContain($"\"SiteId\":\"{EmcMock.DemoSiteId}\"");
    }
}

public sealed class PostalDeliveryCompliance : DeliveryCompliance
{
    protected override string Name => "Postal";

    protected override async Task<DestinationMock> StartMockAsync() => await PostalMock.StartAsync();

    protected override void AddAdapter(IHostApplicationBuilder builder) => builder.AddPostalAdapter();

    protected override DossierEvent Wanted(string maHoSo) => TestDossierEvents.Event(maHoSo, trangThaiHoSo: 9);

    protected override DossierEvent Unmappable(string maHoSo) => TestDossierEvents.Event(maHoSo, 9) with { DiaChiNhanKetQua = null };

    protected override void ShouldBeTheSideEffectOf(DossierEvent dossierEvent, SideEffect sideEffect)
    {
        sideEffect.Operation.ShouldBe("order created");
        sideEffect.MaHoSo.ShouldBe(dossierEvent.MaHoSo); // OrderNumber = the dossier code
        sideEffect.Payload.ShouldContain($"\"CustomerCode\":\"{PostalMock.DemoCustomerCode}\"");
    }
}
