using OneStop.Adapters.Business;
using OneStop.Adapters.Emc;
using OneStop.Adapters.Generic;
using OneStop.Adapters.Insurance;
using OneStop.Adapters.Land;
using OneStop.Adapters.NationalPortal;
using OneStop.Adapters.Population;
using OneStop.Adapters.Postal;
using OneStop.Hub;
using OneStop.Hub.Grpc;
using OneStop.Hub.Host;
using OneStop.Hub.Host.Security;
using OneStop.Hub.Kafka;
using OneStop.Hub.Soap;

var builder = WebApplication.CreateBuilder(args);

builder.AddEmbeddedNationalSystemsWhenUnconfigured();
builder.AddOneStopHub();
builder.AddOneStopSecurity();
builder.AddKafkaRouting();
builder.AddOneStopEvidence();
builder.AddPopulationAdapter();
builder.AddBusinessAdapter();
builder.AddInsuranceAdapter();
builder.AddLandAdapter();
builder.AddNationalPortalAdapter();
builder.AddEmcAdapter();
builder.AddPostalAdapter();
builder.AddGenericUpstreams();
builder.AddOneStopGrpc();
builder.AddOneStopSoap();
builder.AddOneStopOperations();

var app = builder.Build();

app.UseOneStopSecurity();
app.MapOneStopGrpc();
app.MapOneStopSoap();
app.MapOneStopOperations();
app.MapOneStopEvidence();

app.Run();

public partial class Program;
