namespace Gatehouse.Network;

/// <summary>An ARM api-version such as <c>2025-03-01</c> or <c>2024-01-01-preview</c>, ordered by its date.</summary>
public readonly record struct ApiVersion(string Value) : IComparable<ApiVersion>
{
    private string Date => Value.Length >= 10 ? Value[..10] : Value;

    public int CompareTo(ApiVersion other) => string.CompareOrdinal(Date, other.Date);

    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value;
}
