namespace Portal;

/// <summary>A line as staff enter it: quantity × unit price (net, major units) at a VAT rate in percent.</summary>
[GenerateSerializer, Immutable]
public sealed record LineInput(
    [property: Id(0)] string Description,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] decimal UnitPrice,
    [property: Id(3)] decimal VatRate);

/// <summary>A priced line: net = round(quantity × unit price), VAT = round(net × rate / 100), each rounded once.</summary>
[GenerateSerializer, Immutable]
public sealed record PricedLine(
    [property: Id(0)] string Description,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] decimal UnitPrice,
    [property: Id(3)] decimal VatRate,
    [property: Id(4)] decimal Net,
    [property: Id(5)] decimal Vat,
    [property: Id(6)] decimal Gross);

/// <summary>Totals of a document: the sums of its rounded lines.</summary>
[GenerateSerializer, Immutable]
public sealed record DocumentTotals(
    [property: Id(0)] decimal Subtotal,
    [property: Id(1)] decimal Vat,
    [property: Id(2)] decimal Total,
    [property: Id(3)] string Currency);

/// <summary>Who did something on a document, as recorded for staff and evidence.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(
    [property: Id(0)] ActorKind Kind,
    [property: Id(1)] Guid? ClientId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Email)
{
    /// <summary>Staff acting through a path that does not name the person (e.g. the API key).</summary>
    public static Actor Staff { get; } = new(ActorKind.Staff, null, "Staff", null);

    /// <summary>Portal itself (reminders, webhooks).</summary>
    public static Actor System { get; } = new(ActorKind.System, null, "Portal", null);
}

[GenerateSerializer]
public enum ActorKind
{
    Staff = 0,
    Client = 1,
    System = 2,
}
