using System.Text.Json;
using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.MedTech;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// A MedTech query of member names and single indices only (<c>$.matchedToken.heartRate</c>, <c>$.Body.a[0]</c>),
/// resolved by direct lookups. It selects what the general evaluator would (at most one node), without the
/// evaluator's per-call set-up, and it is what nearly every value expression of a template is.
/// </summary>
internal sealed class SingularPath
{
    private readonly PathStep[] _steps;

    private SingularPath(PathStep[] steps) => _steps = steps;

    /// <summary>The fast form of <paramref name="query"/>, or null when it has any other kind of step.</summary>
    public static SingularPath? TryCreate(Query query)
    {
        foreach (PathStep step in query.Steps)
        {
            if (step is not (NetFieldStep { Name: not null } or NetIndexStep { IsSingular: true }))
            {
                return null;
            }
        }

        return new SingularPath(query.Steps);
    }

    /// <summary>Appends the selected node, if any; a selected virtual root is appended as <c>default</c>.</summary>
    public void Select(JsonElement root, VirtualObject? virtualRoot, string? extraName, JsonElement extraValue, List<JsonElement> output)
    {
        if (TrySelect(root, virtualRoot, extraName, extraValue, out JsonElement value))
        {
            output.Add(value);
        }
    }

    /// <summary>Resolves the path from <paramref name="start"/>, a filter's current node (which may be the special root).</summary>
    public bool TrySelect(Evaluator evaluator, in Node start, out JsonElement value)
    {
        string? extraName = start.IsExtendedRoot ? evaluator.ExtraMemberName : null;
        return start.IsVirtual
            ? TrySelect(default, evaluator.Virtual, extraName, evaluator.ExtraMemberValue, out value)
            : TrySelect(start.Value, null, extraName, evaluator.ExtraMemberValue, out value);
    }

    /// <summary>The selected node, if any; a selected virtual root is <c>default</c>.</summary>
    public bool TrySelect(JsonElement root, VirtualObject? virtualRoot, string? extraName, JsonElement extraValue, out JsonElement value)
    {
        if (_steps.Length == 0)
        {
            value = virtualRoot is null ? root : default;
            return true;
        }

        if (!TryFirst(root, virtualRoot, extraName, extraValue, out value))
        {
            return false;
        }

        for (int next = 1; next < _steps.Length; next++)
        {
            if (!TryStep(_steps[next], value, out value))
            {
                return false;
            }
        }

        return true;
    }

    private bool TryFirst(JsonElement root, VirtualObject? virtualRoot, string? extraName, JsonElement extraValue, out JsonElement value)
    {
        PathStep first = _steps[0];
        bool rootIsObject = virtualRoot is not null || root.ValueKind == JsonValueKind.Object;
        if (first is NetFieldStep field && rootIsObject)
        {
            // The extra member is added last and hides a member of the same name (see JsonPathExpression.Select).
            if (extraName is not null && string.Equals(field.Name, extraName, StringComparison.Ordinal))
            {
                value = extraValue;
                return true;
            }

            if (virtualRoot is not null)
            {
                int index = virtualRoot.IndexOf(field.Utf8Name);
                value = index < 0 ? default : virtualRoot.GetMemberValue(index);
                return index >= 0;
            }
        }

        if (virtualRoot is not null)
        {
            // An index into an object selects nothing.
            value = default;
            return false;
        }

        return TryStep(first, root, out value);
    }

    private static bool TryStep(PathStep step, JsonElement node, out JsonElement value)
    {
        if (step is NetFieldStep field)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                return node.TryGetProperty(field.Utf8Name, out value);
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            int index = ((NetIndexStep)step).SingleIndex;
            if (index < node.GetArrayLength())
            {
                value = node[index];
                return true;
            }
        }

        value = default;
        return false;
    }
}
