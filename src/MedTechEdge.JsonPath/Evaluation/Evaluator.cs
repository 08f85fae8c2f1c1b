using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MedTechEdge.JsonPath.Ast;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// Runs a compiled query push-style: every step hands each node it selects straight to the next step, and the
/// last step appends to the current sink. Depth-first per node yields the same order as applying each segment
/// to a whole nodelist (concatenation is associative), without materialising the intermediate nodelists.
/// </summary>
/// <remarks>
/// One evaluator is cached per thread and reused, so a <c>Select</c> call allocates nothing on its own. Filter
/// sub-queries collect into scratch lists taken from <see cref="_scratch"/>; the lists are cleared on return
/// and kept for the next call (their contents are structs pointing into the caller's document, so nothing
/// outlives the call except capacity).
/// </remarks>
internal sealed class Evaluator
{
    [ThreadStatic]
    private static Evaluator? t_cached;

    private readonly List<List<Node>> _scratch = new();
    private int _scratchDepth;
    private List<JsonElement>? _output;
    private List<Node>? _sink;
    private JsonPathFault? _fault;

    public JsonElement Root { get; private set; }

    /// <summary>The root when the caller passed a <see cref="VirtualObject"/>; <see cref="Root"/> is then unused.</summary>
    public VirtualObject? Virtual { get; private set; }

    public bool HasExtraMember { get; private set; }

    public string? ExtraMemberName { get; private set; }

    public JsonElement ExtraMemberValue { get; private set; }

    public Node RootNode => Virtual is not null ? Node.VirtualRoot(HasExtraMember) : new(Root, HasExtraMember);

    public static JsonPathFault? Run(Query query, JsonElement root, string? extraName, JsonElement extraValue, List<JsonElement> output)
        => Run(query, root, null, extraName, extraValue, output);

    /// <summary>Runs the query; the first fault met, if any (evaluation goes on after it, and what it selects is not used).</summary>
    public static JsonPathFault? Run(Query query, JsonElement root, VirtualObject? virtualRoot, string? extraName, JsonElement extraValue, List<JsonElement> output)
    {
        Evaluator evaluator = t_cached ?? new Evaluator();
        t_cached = null; // a re-entrant call (none today) would get its own instance
        try
        {
            evaluator.Root = root;
            evaluator.Virtual = virtualRoot;
            evaluator.HasExtraMember = extraName is not null && (virtualRoot is not null || root.ValueKind == JsonValueKind.Object);
            evaluator.ExtraMemberName = evaluator.HasExtraMember ? extraName : null;
            evaluator.ExtraMemberValue = evaluator.HasExtraMember ? extraValue : default;
            evaluator._output = output;
            evaluator._sink = null;
            evaluator.Continue(query.First, evaluator.RootNode);
            return evaluator._fault;
        }
        finally
        {
            evaluator._fault = null;
            if (evaluator._scratchDepth != 0)
            {
                // Only reachable if a step threw; leave no stale nodes for the next call.
                evaluator.ResetScratch();
            }

            evaluator._output = null;
            evaluator._sink = null;
            evaluator.Root = default;
            evaluator.Virtual = null;
            evaluator.ExtraMemberValue = default;
            t_cached = evaluator;
        }
    }

    /// <summary>Passes <paramref name="node"/> to <paramref name="next"/>, or to the sink when the query ends.</summary>
    public void Continue(PathStep? next, in Node node)
    {
        if (next is not null)
        {
            next.Apply(this, node);
        }
        else if (_sink is not null)
        {
            _sink.Add(node);
        }
        else
        {
            Debug.Assert(_output is not null);
            // The virtual root has no element of its own: VirtualObject documents default(JsonElement) for it.
            _output.Add(node.IsVirtual ? default : node.Value);
        }
    }

    /// <summary>
    /// Notes where Json.NET would have thrown. Only the first counts: Json.NET stops at it, and later filters test the
    /// same nodes in the same order, so a first fault here is the exception there.
    /// </summary>
    public void ReportFault(JsonPathFault fault) => _fault ??= fault;

    /// <summary>Evaluates a filter sub-query into a scratch list; pair every call with <see cref="ReleaseNodes"/>.</summary>
    public List<Node> SelectNodes(Query query, in Node current)
    {
        List<Node> list = RentScratch();
        List<Node>? savedSink = _sink;
        _sink = list;
        Continue(query.First, query.IsRelative ? current : RootNode);
        _sink = savedSink;
        return list;
    }

    public void ReleaseNodes(List<Node> list)
    {
        Debug.Assert(_scratchDepth > 0 && ReferenceEquals(_scratch[_scratchDepth - 1], list));
        list.Clear();
        _scratchDepth--;
    }

    public MemberEnumerator EnumerateMembers(in Node node) => new(node, this);

    /// <summary>Member lookup that honours the extra member on the extended root.</summary>
    public bool TryGetMember(in Node node, string name, out JsonElement value)
        => node.IsExtendedRoot || node.IsVirtual
            ? TryGetMember(node, name, Encoding.UTF8.GetBytes(name), out value) // only the root: encoding once per call is fine
            : node.Value.TryGetProperty(name, out value);

    /// <summary>The same lookup with the name's UTF-8 bytes, so a document member search does not transcode.</summary>
    public bool TryGetMember(in Node node, string name, ReadOnlySpan<byte> utf8Name, out JsonElement value)
    {
        if (node.IsExtendedRoot && string.Equals(name, ExtraMemberName, StringComparison.Ordinal))
        {
            value = ExtraMemberValue;
            return true;
        }

        if (node.IsVirtual)
        {
            return TryGetVirtualMember(Virtual!.IndexOf(utf8Name), out value);
        }

        return node.Value.TryGetProperty(utf8Name, out value);
    }

    private bool TryGetVirtualMember(int index, out JsonElement value)
    {
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = Virtual!.GetMemberValue(index);
        return true;
    }

    private void ResetScratch()
    {
        foreach (List<Node> list in _scratch)
        {
            list.Clear();
        }

        _scratchDepth = 0;
    }

    private List<Node> RentScratch()
    {
        if (_scratchDepth == _scratch.Count)
        {
            _scratch.Add(new List<Node>());
        }

        return _scratch[_scratchDepth++];
    }
}
