using OneStop.Adapters.Business;
using OneStop.Adapters.Generic;
using OneStop.Adapters.Insurance;
using OneStop.Adapters.Land;
using OneStop.Adapters.Population;
using OneStop.Hub;
using OneStop.Hub.Grpc;
using OneStop.Hub.Host;
using OneStop.Hub.Kafka;
using OneStop.Hub.Soap;

var builder = WebApplication.CreateBuilder(args);

builder.AddEmbeddedNationalSystemsWhenUnconfigured();
builder.AddOneStopHub();
builder.AddKafkaRouting();
builder.AddPopulationAdapter();
builder.AddBusinessAdapter();
builder.AddInsuranceAdapter();
builder.AddLandAdapter();
builder.AddGenericUpstreams();
builder.AddOneStopGrpc();
builder.AddOneStopSoap();
builder.AddOneStopOperations();

var app = builder.Build();

app.MapOneStopGrpc();
app.MapOneStopSoap();
app.MapOneStopOperations();

app.Run();

public partial class Program;
