using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.Configuration;

/// <summary>
/// The one place the module's settings are bound to <see cref="MedTechEdgeOptions"/>, by the configuration binder's
/// reflection. The trim analyzer flags that (IL2026); it is safe under the only trimming measured for the module
/// (TrimMode=partial keeps this assembly, and so every options type and member, whole). The binder's source
/// generator would remove the warning but binds differently: it throws on a dictionary entry the reflection binder
/// leaves out, which the module's own checks then name ("… 'l20' is not a number.", Dashboard_Settings_Tests).
/// </summary>
internal static class OptionsBinding
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The options types are in this assembly, which partial trimming keeps whole; see the summary.")]
    public static void Bind(IConfiguration configuration, MedTechEdgeOptions options, Action<BinderOptions>? configure = null) =>
        configuration.GetSection(MedTechEdgeOptions.Section).Bind(options, configure);
}
