using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using MedTechEdge.JmesPath.Functions;

namespace MedTechEdge.JmesPath;

/// <summary>
/// The functions an expression may call. Function names are resolved when the expression is parsed, so an
/// unknown name or a wrong argument count is a parse error.
/// </summary>
public sealed class JmesPathFunctionSet
{
    private static readonly JmesPathFunctionSet s_standard = new(StandardFunctions.Create());
    private static readonly JmesPathFunctionSet s_medTech = new(StandardFunctions.Create().Concat(MedTechFunctions.Create()));

    private readonly FrozenDictionary<string, FunctionDefinition> _definitions;

    private JmesPathFunctionSet(IEnumerable<FunctionDefinition> definitions)
    {
        _definitions = definitions.ToFrozenDictionary(definition => definition.Name, StringComparer.Ordinal);
    }

    /// <summary>The 26 built-in functions of the JMESPath specification (abs … values).</summary>
    public static JmesPathFunctionSet Standard => s_standard;

    /// <summary>
    /// The built-in functions plus the MedTech custom functions <c>add</c>, <c>subtract</c>, <c>multiply</c>,
    /// <c>divide</c>, <c>pow</c>, <c>insertString</c>, <c>fromUnixTimestamp</c> and <c>fromUnixTimestampMs</c>
    /// (jmespath.md, "MedTech custom functions"). See docs/jmespath.md for their typing rules.
    /// </summary>
    public static JmesPathFunctionSet MedTech => s_medTech;

    /// <summary>The function names of this set, in ordinal order.</summary>
    public IReadOnlyList<string> Names => _definitions.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Whether the set defines a function with this exact (case-sensitive) name.</summary>
    /// <param name="name">The function name.</param>
    /// <returns>True when defined.</returns>
    public bool Contains(string name) => _definitions.ContainsKey(name);

    internal bool TryGetDefinition(string name, [NotNullWhen(true)] out FunctionDefinition? definition) =>
        _definitions.TryGetValue(name, out definition);
}
