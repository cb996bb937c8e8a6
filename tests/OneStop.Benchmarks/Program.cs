using BenchmarkDotNet.Running;

namespace OneStop.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- --filter '*'</c> (BenchmarkDotNet: the mapping engine), or
    /// <c>… -- delivery [events] [concurrency]</c> (dossier events through the hub against direct calls to the destination), or
    /// <c>… -- backlog [events]</c> (a destination down while events are accepted, then its drain and the others' latency), or
    /// <c>… -- evidence [records per step]</c> (group commit and restart time of the evidence recorder), or
    /// <c>… -- lookup [requests] [seconds] [KEY=VALUE …]</c> (a business lookup directly, through the hub over gRPC and SOAP, and through bare relays: the floor), or
    /// <c>… -- state [store-only]</c> (memory and restart time as history grows; the local state store with 1,000,000 dossiers).
    /// <c>relay …</c> is the lookup benchmark's own child process (<see cref="LookupRelay"/>), not a benchmark.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["evidence", ..])
        {
            return EvidenceBenchmark.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args is ["state", ..])
        {
            return StateBenchmark.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args is ["backlog", ..])
        {
            return BacklogBenchmark.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args is ["relay", ..])
        {
            return LookupRelay.ServeAsync(args).GetAwaiter().GetResult();
        }

        if (args is ["lookup", ..])
        {
            return LookupBenchmark.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args is ["delivery", ..])
        {
            return DeliveryBenchmark.RunAsync(args).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
