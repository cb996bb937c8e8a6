using OneStop.Adapters.Emc;
using OneStop.Adapters.Generic;
using OneStop.Adapters.NationalPortal;
using OneStop.Adapters.Postal;
using OneStop.Hub;
using OneStop.Hub.Grpc;
using OneStop.Hub.Host;
using OneStop.Hub.Host.Inbound;
using OneStop.Hub.Host.Security;
using OneStop.Hub.Kafka;
using OneStop.Hub.Soap;

var builder = WebApplication.CreateBuilder(args);

builder.AddOneStopHosting();
builder.AddOneStopHub();
builder.AddOneStopSecurity();
builder.AddKafkaRouting();
builder.AddOneStopEvidence();
builder.AddNationalPortalAdapter();
builder.AddEmcAdapter();
builder.AddPostalAdapter();
builder.AddGenericUpstreams();
builder.AddOneStopGrpc();
builder.AddOneStopRest(TokenEndpoint.Describe);
builder.AddOneStopSoap();
builder.AddOneStopInbound();
builder.AddOneStopOperations();

var app = builder.Build();

app.UseOneStopRestErrors();
app.UseOneStopSecurity();
app.MapOneStopGrpc();
app.MapOneStopSoap();
app.MapOneStopOperations();
app.MapOneStopEvidence();
app.MapOneStopToken();
app.MapOneStopOpenApi();
app.MapOneStopInbound();

return app.RunOneStop();

public partial class Program;
