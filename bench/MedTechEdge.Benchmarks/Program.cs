using BenchmarkDotNet.Running;
using MedTechEdge.Benchmarks;

if (args.Length == 3 && args[0] == "--loop")
{
    ProfilingLoop.Run(args[1], args[2]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
