using System.Globalization;
using Portal.Domain;

namespace Portal.Web.Application.Exports;

/// <summary>What an export holds: issued invoices, or payments received.</summary>
public enum ExportKind
{
    Invoices,
    Payments,
}

/// <summary>A range of calendar days in the company's time zone, both ends included.</summary>
public sealed record ExportRange(DateOnly From, DateOnly To);

/// <summary>
/// The company's invoices and payments as CSV for accountants and spreadsheets. Rows are produced project by project
/// (a few projects read at once) and written as they come, so an export of 100,000 rows holds a handful of projects
/// and one batch of rows in memory, never the file. The API (<c>GET /api/exports/…</c>) and the console page
/// (<c>/staff/exports</c>) both write through here.
/// </summary>
public sealed class CompanyExports(IGrainFactory grains, ILogger<CompanyExports> logger)
{
    /// <summary>Projects read at the same time.</summary>
    private const int ProjectsAtOnce = 16;

    /// <summary>The longest range one export covers (ten years).</summary>
    public const int MaxDays = 3660;

    public static readonly string[] InvoiceColumns =
        ["Invoice", "Sent on", "Due on", "Client", "Client email", "Project", "Project title", "Status", "Currency", "Total", "Paid", "Balance"];

    public static readonly string[] PaymentColumns =
        ["Received on", "Invoice", "Client", "Project", "Method", "Status", "Currency", "Amount", "Refunded", "Reference", "Payment id", "Stripe id"];

    public static bool TryParseKind(string? text, out ExportKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind);

    /// <summary>
    /// Reads a range from <c>from</c> and <c>to</c> (yyyy-mm-dd); answers the problems by field name, worded for a
    /// person, or the range.
    /// </summary>
    public static ExportRange? ParseRange(string? from, string? to, IDictionary<string, string> problems)
    {
        var start = ParseDay(from, "from", "start", problems);
        var end = ParseDay(to, "to", "end", problems);
        if (start is null || end is null)
        {
            return null;
        }
        if (end < start)
        {
            problems["to"] = "The end date must be on or after the start date.";
            return null;
        }
        if (end.Value.DayNumber - start.Value.DayNumber >= MaxDays)
        {
            problems["to"] = $"One export covers at most {MaxDays / 366} years; choose a shorter range.";
            return null;
        }
        return new ExportRange(start.Value, end.Value);
    }

    private static DateOnly? ParseDay(string? text, string field, string what, IDictionary<string, string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems[field] = $"Enter the {what} date.";
            return null;
        }
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            problems[field] = $"Enter the {what} date as a date, for example 2026-12-31.";
            return null;
        }
        return day;
    }

    public static string FileName(ExportKind kind, ExportRange range) =>
        FormattableString.Invariant($"{kind.ToString().ToLowerInvariant()}-{range.From:yyyy-MM-dd}-to-{range.To:yyyy-MM-dd}.csv");

    /// <summary>Writes the export to <paramref name="output"/> as it is read; answers the number of rows.</summary>
    public async Task<long> WriteAsync(Guid companyId, ExportKind kind, ExportRange range, Stream output, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var csv = new CsvWriter(output);
        await csv.HeaderAsync(kind == ExportKind.Invoices ? InvoiceColumns : PaymentColumns, cancellationToken);
        var companyGrain = grains.GetGrain<ICompanyGrain>(companyId);
        var timeZone = (await companyGrain.Get()).TimeZone;
        var projectIds = await companyGrain.GetProjectIds();
        var clients = new Dictionary<Guid, ClientView?>();

        foreach (var chunk in projectIds.Chunk(ProjectsAtOnce))
        {
            var projects = await Task.WhenAll(chunk.Select(id => grains.GetGrain<IProjectGrain>(id).Get()));
            foreach (var project in projects)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (project.CompanyId != companyId || project.Invoices.Count == 0)
                {
                    continue;
                }
                var client = await ClientAsync(clients, project.ClientId);
                if (kind == ExportKind.Invoices)
                {
                    await WriteInvoicesAsync(csv, project, client, range, timeZone, cancellationToken);
                }
                else
                {
                    await WritePaymentsAsync(csv, project, client, range, timeZone, cancellationToken);
                }
            }
        }
        logger.LogInformation("Exported {Rows} {Kind} rows of company {CompanyId} ({From} to {To}) in {Elapsed} ms",
            csv.Rows, kind, companyId, range.From, range.To, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return csv.Rows;
    }

    private static async Task WriteInvoicesAsync(CsvWriter csv, ProjectView project, ClientView? client, ExportRange range, string timeZone, CancellationToken cancellationToken)
    {
        foreach (var invoice in project.Invoices)
        {
            // Drafts were never issued: they are not in the books.
            if (invoice.SentAt is not { } sentAt || !In(range, LocalDay.Today(sentAt, timeZone)))
            {
                continue;
            }
            var decimals = Currencies.Decimals(invoice.Currency);
            var paid = invoice.Payments.Where(Received).Sum(p => p.Amount - p.RefundedAmount);
            await csv.Text(invoice.Number).Date(LocalDay.Today(sentAt, timeZone)).Date(invoice.DueDate)
                .Text(client?.Name).Text(client?.Email)
                .Text(project.Number.ToString(CultureInfo.InvariantCulture)).Text(project.Title)
                .Text(Wire(invoice.Status)).Text(invoice.Currency)
                .Number(invoice.Total, decimals).Number(paid, decimals).Number(invoice.Balance, decimals)
                .EndRowAsync(cancellationToken);
        }
    }

    private static async Task WritePaymentsAsync(CsvWriter csv, ProjectView project, ClientView? client, ExportRange range, string timeZone, CancellationToken cancellationToken)
    {
        foreach (var invoice in project.Invoices)
        {
            var decimals = Currencies.Decimals(invoice.Currency);
            foreach (var payment in invoice.Payments.Where(Received))
            {
                var day = payment.ReceivedOn ?? LocalDay.Today(payment.RecordedAt, timeZone);
                if (!In(range, day))
                {
                    continue;
                }
                await csv.Date(day).Text(invoice.Number).Text(client?.Name)
                    .Text(project.Number.ToString(CultureInfo.InvariantCulture))
                    .Text(Wire(payment.Method)).Text(Wire(payment.Status)).Text(payment.Currency)
                    .Number(payment.Amount, decimals).Number(payment.RefundedAmount, decimals)
                    .Text(payment.Reference).Text(payment.Id.ToString()).Text(payment.ExternalId)
                    .EndRowAsync(cancellationToken);
            }
        }
    }

    /// <summary>Money that arrived: succeeded payments, and refunded ones (their refund is its own column).</summary>
    private static bool Received(PaymentView payment) => payment.Status is PaymentStatus.Succeeded or PaymentStatus.Refunded;

    private static bool In(ExportRange range, DateOnly day) => day >= range.From && day <= range.To;

    private async Task<ClientView?> ClientAsync(Dictionary<Guid, ClientView?> cache, Guid clientId)
    {
        if (!cache.TryGetValue(clientId, out var client))
        {
            try
            {
                client = await grains.GetGrain<IClientGrain>(clientId).Get();
            }
            catch (PortalRuleViolation)
            {
                client = null;
            }
            cache[clientId] = client;
        }
        return client;
    }

    private static string Wire<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
