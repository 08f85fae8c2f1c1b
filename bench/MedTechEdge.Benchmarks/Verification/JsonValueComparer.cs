using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Verification;

/// <summary>
/// Deep JSON equality where member order does not matter and numbers compare by value
/// (<c>72</c> equals <c>72.0</c>: Json.NET writes decimals with a decimal point, Utf8JsonWriter does not).
/// </summary>
internal static class JsonValueComparer
{
    public static bool Equal(JToken left, JToken right)
    {
        if (IsNumber(left) && IsNumber(right))
        {
            return left.Value<decimal>() == right.Value<decimal>();
        }

        if (left.Type != right.Type)
        {
            return false;
        }

        switch (left)
        {
            case JObject leftObject:
                var rightObject = (JObject)right;
                if (leftObject.Count != rightObject.Count)
                {
                    return false;
                }

                foreach (JProperty property in leftObject.Properties())
                {
                    if (rightObject[property.Name] is not JToken other || !Equal(property.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JArray leftArray:
                var rightArray = (JArray)right;
                if (leftArray.Count != rightArray.Count)
                {
                    return false;
                }

                for (int i = 0; i < leftArray.Count; i++)
                {
                    if (!Equal(leftArray[i], rightArray[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return JToken.DeepEquals(left, right);
        }
    }

    private static bool IsNumber(JToken token) => token.Type is JTokenType.Integer or JTokenType.Float;
}
