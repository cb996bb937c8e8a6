using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace OneStop.Adapters;

/// <summary>
/// A TimeSpan setting within [minimum, maximum]. <c>[TimeSpanRange(…)]</c> parses its limits lazily and not
/// thread-safely (two hosts validating the same options type at once can throw InvalidCastException), so the limits
/// are parsed once, here, when the attribute is made.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not TimeSpan t || (t >= Minimum && t <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"The field {name} must be between {Minimum} and {Maximum}.");
}
