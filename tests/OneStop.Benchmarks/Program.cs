using BenchmarkDotNet.Running;

namespace OneStop.Benchmarks;

public static class Program
{
    /// <summary><c>dotnet run -c Release --project tests/OneStop.Benchmarks -- --filter '*'</c></summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
