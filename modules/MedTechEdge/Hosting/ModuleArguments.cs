using MedTechEdge.IotEdge;

namespace MedTechEdge.Hosting;

/// <summary>What the host was built from: the twin service builds a trial host from the same, with a candidate layer.</summary>
/// <param name="Args">What the command line gives the host: its settings and the --simulate switch.</param>
/// <param name="TwinFolder">Where the twin's configuration layer lives.</param>
/// <param name="Twin">The layer this host runs on, or null.</param>
internal sealed record ModuleArguments(string[] Args, string TwinFolder, TwinLayer? Twin);
