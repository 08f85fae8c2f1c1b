namespace MedTechEdge.Mapping.Normalization.Streaming;

/// <summary>
/// One expression of a template compiled to a slot of the body's top level, with its errors formatted at load
/// (they name the expression, which does not change from message to message).
/// </summary>
internal sealed class StreamingField
{
    public StreamingField(int slot, string field, string expression)
    {
        Slot = slot;
        Missing = NormalizationErrors.Missing(field, expression);
        Unconvertible = NormalizationErrors.Unconvertible(field, expression);
        Blank = NormalizationErrors.Blank(field);
        TimestampUnconvertible = NormalizationErrors.TimestampUnconvertible(expression);
        TimestampMissing = NormalizationErrors.TimestampMissing(expression);
    }

    public int Slot { get; }

    public string Missing { get; }

    public string Unconvertible { get; }

    public string Blank { get; }

    public string TimestampUnconvertible { get; }

    public string TimestampMissing { get; }
}
