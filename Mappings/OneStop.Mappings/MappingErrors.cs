namespace OneStop.Mappings;

/// <summary>
/// A mapping could not turn an input into its output: a required value is missing, a code has no
/// entry in its table, a date or number does not parse, the reply is malformed. The message reads
/// <c>population.reply: ho_va_ten: required value missing at HoVaTen</c>.
/// </summary>
public sealed class MappingException : Exception
{
    public MappingException(string mappingId, string fieldPath, string rule)
        : this(mappingId, fieldPath, rule, null)
    {
    }

    public MappingException(string mappingId, string fieldPath, string rule, Exception? innerException)
        : this(mappingId, fieldPath, rule, null, innerException)
    {
    }

    public MappingException(string mappingId, string fieldPath, string rule, string? offendingValue, Exception? innerException)
        : base($"{mappingId}: {fieldPath}: {rule}", innerException)
    {
        MappingId = mappingId;
        FieldPath = fieldPath;
        Rule = rule;
        OffendingValue = offendingValue;
    }

    /// <summary>The mapping that failed, e.g. <c>population.reply</c>.</summary>
    public string MappingId { get; }

    /// <summary>The target field that failed, e.g. <c>qua_trinh_tham_gia[1].tu_thang</c>, or <c>root</c>.</summary>
    public string FieldPath { get; }

    /// <summary>What went wrong, e.g. <c>code 7 has no entry in table gioi-tinh</c>.</summary>
    public string Rule { get; }

    /// <summary>
    /// The input value that broke the rule, when there is one. It may be personal data (a birth date, a
    /// name), so it is kept out of <see cref="Exception.Message"/>, which reaches callers and logs; only tools
    /// an integrator runs on sample data (the sample runner) show it.
    /// </summary>
    public string? OffendingValue { get; }
}

/// <summary>One problem found while loading a mapping file.</summary>
public sealed record MappingError(string File, string FieldPath, string Rule)
{
    public override string ToString() => $"{File}: {FieldPath}: {Rule}";
}

/// <summary>One or more mapping files are invalid; <see cref="Errors"/> lists every problem found.</summary>
public sealed class MappingLoadException : Exception
{
    public MappingLoadException(IReadOnlyList<MappingError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<MappingError> Errors { get; }

    private static string Describe(IReadOnlyList<MappingError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var noun = errors.Count == 1 ? "error" : "errors";
        return $"{errors.Count} mapping {noun}:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", errors);
    }
}
