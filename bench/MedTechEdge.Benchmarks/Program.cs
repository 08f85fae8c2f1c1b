using BenchmarkDotNet.Running;
using MedTechEdge.Benchmarks;

if (args.Length is 3 or 4 && args[0] == "--loop")
{
    ProfilingLoop.Run(args[1], args[2], args.Length == 4 ? args[3] : ProfilingLoop.NormalizeAndTransform);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
