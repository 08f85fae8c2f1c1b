using MedTechEdge.JsonPath.Tests.Differential;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.JsonPath.Tests.MedTech;

/// <summary>Runs a path through Newtonsoft.Json 13.0.3 and through the MedTech dialect and checks both against one expectation.</summary>
internal static class DialectAssert
{
    /// <summary>Both engines select exactly <paramref name="expected"/> (a JSON array of the nodes, in order).</summary>
    public static void BothSelect(string document, string path, string expected)
    {
        string canonical = Canonical(expected);
        NewtonsoftOracle.Outcome theirs = NewtonsoftOracle.RunNewtonsoft(document, path, out _);
        NewtonsoftOracle.Outcome ours = NewtonsoftOracle.RunOurs(document, path);
        Assert.Equal(canonical, theirs.ToString());
        Assert.Equal(canonical, ours.ToString());
    }

    /// <summary>Both engines reject the path; ours at parse time with a <see cref="JsonPathException"/>.</summary>
    public static void BothReject(string document, string path)
    {
        NewtonsoftOracle.Outcome theirs = NewtonsoftOracle.RunNewtonsoft(document, path, out _);
        Assert.True(theirs.Rejected, "Newtonsoft accepted: " + theirs);
        Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse(path, JsonPathDialect.MedTech));
    }

    /// <summary>A deliberate difference: Newtonsoft throws <typeparamref name="TException"/>, ours selects <paramref name="ours"/>.</summary>
    public static void NewtonsoftThrowsButWeSelect<TException>(string document, string path, string ours)
        where TException : Exception
    {
        NewtonsoftOracle.RunNewtonsoft(document, path, out Exception? exception);
        Assert.IsAssignableFrom<TException>(exception);
        Assert.Equal(Canonical(ours), NewtonsoftOracle.RunOurs(document, path).ToString());
    }

    /// <summary>
    /// D4: Newtonsoft throws <typeparamref name="TException"/> while enumerating; our evaluation returns a fault naming
    /// the operands (<paramref name="fault"/> is part of its message) and throws nothing.
    /// </summary>
    public static void NewtonsoftThrowsAndWeFault<TException>(string document, string path, string fault)
        where TException : Exception
    {
        NewtonsoftOracle.RunNewtonsoft(document, path, out Exception? exception);
        Assert.IsAssignableFrom<TException>(exception);
        NewtonsoftOracle.Outcome ours = NewtonsoftOracle.RunOurs(document, path);
        Assert.True(ours.Faulted, $"{path} on {document}: no fault, {ours}");
        Assert.Equal(JsonPathFaultKind.UnconvertibleComparison, ours.Fault!.Kind);
        Assert.Contains(fault, ours.Fault.Message, StringComparison.Ordinal);
    }

    /// <summary>A deliberate difference: Newtonsoft throws <typeparamref name="TException"/> while running; we reject at parse time.</summary>
    public static void NewtonsoftThrowsWhileRunningButWeRejectAtParse<TException>(string document, string path)
        where TException : Exception
    {
        NewtonsoftOracle.RunNewtonsoft(document, path, out Exception? exception);
        Assert.IsAssignableFrom<TException>(exception);
        Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse(path, JsonPathDialect.MedTech));
    }

    public static string Canonical(string jsonArray)
    {
        var nodes = new List<string>();
        foreach (JToken token in (JArray)NewtonsoftOracle.ParseDocument(jsonArray))
        {
            nodes.Add(NewtonsoftOracle.Canonical(token));
        }

        return new NewtonsoftOracle.Outcome(nodes, null).ToString();
    }
}
