using System.Net.Mail;

namespace Portal.Web.Api;

/// <summary>Collects field errors of one request and answers them together as a 400 validation problem.</summary>
public sealed class RequestValidation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public string RequireText(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return string.Empty;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"'{field}' must be at most {maxLength} characters.");
        }
        if (trimmed.Any(char.IsControl))
        {
            Add(field, $"'{field}' must not contain control characters.");
        }
        return trimmed;
    }

    public string? OptionalText(string field, string? value, int maxLength = 500, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"'{field}' must be at most {maxLength} characters.");
        }
        if (trimmed.Any(c => char.IsControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))))
        {
            Add(field, $"'{field}' must not contain control characters.");
        }
        return trimmed;
    }

    public string RequireEmail(string field, string? value)
    {
        var text = RequireText(field, value, 254);
        if (text.Length > 0 && (!MailAddress.TryCreate(text, out var parsed) || parsed.Address != text || !text.Contains('.', StringComparison.Ordinal)))
        {
            Add(field, $"'{field}' must be an email address like name@example.com.");
        }
        return text;
    }

    public T Require<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, $"'{field}' is required.");
            return default;
        }
        return value.Value;
    }

    public decimal RequireAmount(string field, decimal? value, bool allowZero = false)
    {
        var amount = Require(field, value);
        if (value is null)
        {
            return amount;
        }
        if (amount < 0 || (!allowZero && amount == 0))
        {
            Add(field, $"'{field}' must be {(allowZero ? "zero or more" : "more than zero")}.");
        }
        if (decimal.Round(amount, 2) != amount)
        {
            Add(field, $"'{field}' must have at most two decimal places.");
        }
        return amount;
    }

    public IReadOnlyList<LineInput> RequireLines(IReadOnlyList<LineRequest>? lines)
    {
        if (lines is null || lines.Count == 0)
        {
            Add("lines", "At least one line is required.");
            return [];
        }
        if (lines.Count > 500)
        {
            Add("lines", "At most 500 lines are allowed.");
        }
        var result = new List<LineInput>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var prefix = $"lines[{i}]";
            if (line is null)
            {
                Add(prefix, "A line must be an object.");
                continue;
            }
            var description = RequireText($"{prefix}.description", line.Description, 500);
            var quantity = Require($"{prefix}.quantity", line.Quantity);
            var unitPrice = Require($"{prefix}.unitPrice", line.UnitPrice);
            var vatRate = Require($"{prefix}.vatRate", line.VatRate);
            if (line.Quantity is not null && quantity <= 0)
            {
                Add($"{prefix}.quantity", "'quantity' must be more than zero.");
            }
            if (line.UnitPrice is not null && unitPrice < 0)
            {
                Add($"{prefix}.unitPrice", "'unitPrice' must be zero or more.");
            }
            if (line.UnitPrice is not null && decimal.Round(unitPrice, 4) != unitPrice)
            {
                Add($"{prefix}.unitPrice", "'unitPrice' must have at most four decimal places.");
            }
            if (line.VatRate is not null && (vatRate < 0 || vatRate > 100))
            {
                Add($"{prefix}.vatRate", "'vatRate' must be a percentage between 0 and 100.");
            }
            result.Add(new LineInput(description, quantity, unitPrice, vatRate));
        }
        return result;
    }

    public IResult Problem() => TypedResults.Problem(PortalProblems.Create(
        StatusCodes.Status400BadRequest, RuleCodes.ValidationFailed, "One or more fields are not valid.",
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray())));
}
