namespace MedTechEdge.JsonPath.Ast;

/// <summary>
/// A compiled query: a chain of steps linked through <see cref="PathStep.Next"/>. A relative query starts at the
/// filter's current node (<c>@</c>), an absolute one at the root (<c>$</c>).
/// </summary>
internal sealed class Query
{
    public Query(IReadOnlyList<PathStep> steps, bool isRelative)
    {
        Steps = steps.ToArray();
        IsRelative = isRelative;
        for (int i = 0; i < Steps.Length - 1; i++)
        {
            Steps[i].Next = Steps[i + 1];
        }

        First = Steps.Length == 0 ? null : Steps[0];
        IsSingular = true;
        foreach (PathStep step in Steps)
        {
            IsSingular &= step.IsSingular;
        }
    }

    public PathStep[] Steps { get; }

    public PathStep? First { get; }

    public bool IsRelative { get; }

    /// <summary>RFC 9535 §2.3.5.1: only name and index selectors in child segments.</summary>
    public bool IsSingular { get; }
}
