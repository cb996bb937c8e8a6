using System.CommandLine;
using OneStop.Grpc.V1;

namespace OneStop.Cli.Commands;

/// <summary>
/// <c>dossier trail | parked | replay</c>: what happened to a dossier's events at every destination, which
/// dossiers are parked, and a replay of one, through the running hub's <c>onestop.v1.AdminService</c>.
/// </summary>
public static class DossierCommands
{
    public static Command Create()
    {
        var group = new Command("dossier", "Dossier deliveries of a running hub: trails, parked dossiers, replays (admin right needed)");
        group.Subcommands.Add(Trail());
        group.Subcommands.Add(Parked());
        group.Subcommands.Add(Replay());
        return group;
    }

    private static Command Trail()
    {
        var maHoSo = new Argument<string>("MA_HO_SO") { Description = "The dossier code (MaHoSo)" };
        var json = HubCall.JsonOption();
        var command = new Command("trail", "Every event of the dossier, in order, with its state at every destination") { maHoSo, json };
        HubCall.SetAction(command, async (parse, channel, headers, ct) =>
        {
            var trail = await new AdminService.AdminServiceClient(channel)
                .GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = parse.GetValue(maHoSo)! }, headers, cancellationToken: ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(HubCall.ToJson(trail)).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"dossier {trail.MaHoSo}: {trail.Events.Count} event(s)").ConfigureAwait(false);
            await HubCall.WriteTableAsync(output, ["EVENT", "CLIENT", "STATUS", "ACCEPTED", "DESTINATION", "STATE", "UPDATED", "LAST ERROR"],
                trail.Events.SelectMany(e => e.Deliveries.Select(d => (IReadOnlyList<string>)
                [
                    e.EventId, e.Client, e.TrangThaiHoSo.ToString(System.Globalization.CultureInfo.InvariantCulture), e.AcceptedAt,
                    d.Destination, State(d.State), Dash(d.UpdatedAt), Dash(d.LastError),
                ]))).ConfigureAwait(false);
            if (trail.PostalTracking.Count > 0)
            {
                await output.WriteLineAsync($"postal tracking: {trail.PostalTracking.Count} entr{(trail.PostalTracking.Count == 1 ? "y" : "ies")}").ConfigureAwait(false);
                await HubCall.WriteTableAsync(output, ["STAGE", "TIME", "POST OFFICE", "ITEM", "MESSAGE"],
                    trail.PostalTracking.Select(t => (IReadOnlyList<string>)[t.Stage, Dash(t.EventTime), Dash(t.PostOffice), Dash(t.ItemCode), Dash(t.StatusMessage)]))
                    .ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Command Parked()
    {
        var destination = new Option<string>("--destination") { Description = "Only this destination (e.g. emc, national-portal, postal)" };
        var json = HubCall.JsonOption();
        var command = new Command("parked", "Dossiers parked at a destination: the refused event first, then those waiting behind it") { destination, json };
        HubCall.SetAction(command, async (parse, channel, headers, ct) =>
        {
            var reply = await new AdminService.AdminServiceClient(channel)
                .ListParkedAsync(new ListParkedRequest { Destination = parse.GetValue(destination) ?? "" }, headers, cancellationToken: ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(HubCall.ToJson(reply)).ConfigureAwait(false);
                return 0;
            }

            await HubCall.WriteTableAsync(output, ["DESTINATION", "MA_HO_SO", "EVENTS", "PARKED AT", "LAST ERROR"],
                reply.Parked.Select(p => (IReadOnlyList<string>)
                [
                    p.Destination, p.MaHoSo, p.EventIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), p.ParkedAt, Dash(p.LastError),
                ])).ConfigureAwait(false);
            await output.WriteLineAsync($"{reply.Parked.Count} parked dossier(s)").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Replay()
    {
        var destination = new Argument<string>("DESTINATION") { Description = "The destination the dossier is parked at" };
        var maHoSo = new Argument<string>("MA_HO_SO") { Description = "The dossier code (MaHoSo)" };
        var json = HubCall.JsonOption();
        var command = new Command("replay", "Deliver a parked dossier's events again, in order; the replay is recorded as evidence") { destination, maHoSo, json };
        HubCall.SetAction(command, async (parse, channel, headers, ct) =>
        {
            var reply = await new AdminService.AdminServiceClient(channel).ReplayParkedAsync(
                new ReplayParkedRequest { Destination = parse.GetValue(destination)!, MaHoSo = parse.GetValue(maHoSo)! }, headers, cancellationToken: ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(parse.GetValue(json)
                ? HubCall.ToJson(reply)
                : $"replay requested: {reply.RequestId} (follow it with `dossier trail {parse.GetValue(maHoSo)}`)").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static string State(DeliveryState state) => state switch
    {
        DeliveryState.Pending => "PENDING",
        DeliveryState.Delivered => "DELIVERED",
        DeliveryState.Retrying => "RETRYING",
        DeliveryState.Parked => "PARKED",
        DeliveryState.NotApplicable => "NOT_APPLICABLE",
        _ => "UNSPECIFIED",
    };

    private static string Dash(string text) => string.IsNullOrEmpty(text) ? "-" : text;
}
