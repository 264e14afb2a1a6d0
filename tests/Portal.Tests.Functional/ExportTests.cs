using System.Globalization;
using System.Net;
using System.Text;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Application.Exports;

namespace Portal.Tests.Functional;

/// <summary>
/// Exports: invoices and payments for a range of days as RFC 4180 CSV (UTF-8 with a BOM, formula cells neutralised),
/// from the API and the console page, for owners and admins only, streamed rather than built in memory.
/// </summary>
public sealed class ExportTests : IAsyncLifetime
{
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Sent_invoices_and_received_payments_of_the_range_come_as_csv_with_formulas_neutralised()
    {
        var clientId = await _host.Api.CreateClientAsync("=HYPERLINK(\"http://evil.example\",\"Jane, \"\"the\"\" client\")");
        var (projectId, projectNumber) = await _host.Api.CreateProjectAsync(clientId, "+Kitchen");
        var (sentId, sentNumber) = await _host.Api.CreateInvoiceAsync(projectId, unitPrice: 500m);
        await _host.Api.SendAsync("invoices", sentId);
        var (draftId, draftNumber) = await _host.Api.CreateInvoiceAsync(projectId, unitPrice: 70m);
        await _host.Api.PostOkAsync($"/api/invoices/{sentId}/payments", new { amount = 150m, method = "bank_transfer", reference = "-REF 1" });

        using var invoices = await _host.Api.GetAsync($"/api/exports/invoices.csv?from={Today}&to={Today}");
        Assert.Equal(HttpStatusCode.OK, invoices.StatusCode);
        Assert.Equal("text/csv", invoices.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"invoices-{Today}-to-{Today}.csv", invoices.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await invoices.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n");
        Assert.Equal(string.Join(',', CompanyExports.InvoiceColumns), lines[0]);
        var row = Assert.Single(lines, l => l.StartsWith(sentNumber + ",", StringComparison.Ordinal));
        // The client's name is one quoted field whose formula is defused; numbers stay numbers.
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Jane, \"\"\"\"the\"\"\"\" client\"\")\",", row, StringComparison.Ordinal);
        Assert.Contains($",{projectNumber},'+Kitchen,partially_paid,GBP,600.00,150.00,450.00", row, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith(draftNumber + ",", StringComparison.Ordinal));
        Assert.Equal("", lines[^1]);

        var payments = await _host.Api.GetStringAsync($"/api/exports/payments.csv?from={Today}&to={Today}");
        var payment = Assert.Single(payments.Split("\r\n"), l => l.Contains(sentNumber, StringComparison.Ordinal));
        Assert.StartsWith(Today + ",", payment, StringComparison.Ordinal);
        Assert.Contains(",bank_transfer,succeeded,GBP,150.00,0.00,'-REF 1,", payment, StringComparison.Ordinal);

        // Another range holds none of it.
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var empty = await _host.Api.GetStringAsync($"/api/exports/invoices.csv?from=2020-01-01&to={yesterday}");
        Assert.DoesNotContain(sentNumber, empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invoices", "", "2026-01-01", "from")]
    [InlineData("invoices", "2026-02-30", "2026-03-01", "from")]
    [InlineData("payments", "2026-03-01", "2026-02-01", "to")]
    [InlineData("payments", "2000-01-01", "2026-01-01", "to")]
    [InlineData("receipts", "2026-01-01", "2026-01-31", "kind")]
    public async Task Bad_ranges_are_refused_with_the_field_to_fix(string kind, string from, string to, string field)
    {
        using var api = await _host.Api.GetAsync($"/api/exports/{kind}.csv?from={from}&to={to}");
        var problem = await api.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.ValidationFailed);
        Assert.NotNull(problem["errors"]?[field]);

        using var admin = await StaffSessionEndTests.SignInAsync(_host, "admin@portal.local", "correct horse battery staple");
        var (status, page) = await admin.GetAsync($"/staff/exports?handler=Download&kind={kind}&from={from}&to={to}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"id=\"{field}-error\" class=\"field-error\">", page, StringComparison.Ordinal);
        // The input is kept.
        if (from.Length > 0)
        {
            Assert.Contains($"value=\"{from}\"", page, StringComparison.Ordinal);
        }
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task Members_may_not_export_and_another_company_exports_only_its_own()
    {
        var clientId = await _host.Api.CreateClientAsync("Private Client");
        var (projectId, _) = await _host.Api.CreateProjectAsync(clientId);
        var (invoiceId, number) = await _host.Api.CreateInvoiceAsync(projectId);
        await _host.Api.SendAsync("invoices", invoiceId);
        var companyId = (await _host.Api.GetOkAsync("/api/company")).Id();

        await StaffSessionEndTests.AddMemberAsync(_host, companyId, "member@exports.example", StaffRole.Member);
        using var member = await StaffSessionEndTests.SignInAsync(_host, "member@exports.example");
        using (var refused = await member.Http.GetAsync($"/api/exports/invoices.csv?from={Today}&to={Today}"))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        var (status, page) = await member.GetAsync($"/staff/exports?handler=Download&kind=invoices&from={Today}&to={Today}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Your role does not allow it.", page, StringComparison.Ordinal);

        using var other = await StaffSessionEndTests.SignUpAsync(_host, "Other Books Ltd", "owner@otherbooks.example");
        var (otherStatus, csv) = await other.GetAsync($"/staff/exports?handler=Download&kind=invoices&from={Today}&to={Today}");
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        Assert.DoesNotContain(number, csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Private Client", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_offers_this_month_and_downloads_the_same_file_as_the_api()
    {
        var clientId = await _host.Api.CreateClientAsync("Page Client");
        var (projectId, _) = await _host.Api.CreateProjectAsync(clientId);
        var (invoiceId, number) = await _host.Api.CreateInvoiceAsync(projectId);
        await _host.Api.SendAsync("invoices", invoiceId);
        using var admin = await StaffSessionEndTests.SignInAsync(_host, "admin@portal.local", "correct horse battery staple");

        var (status, page) = await admin.GetAsync("/staff/exports");
        Assert.Equal(HttpStatusCode.OK, status);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Contains($"value=\"{new DateOnly(today.Year, today.Month, 1):yyyy-MM-dd}\"", page, StringComparison.Ordinal);
        Assert.Contains("Download invoices (CSV)", page, StringComparison.Ordinal);

        using var download = await admin.Http.GetAsync($"/staff/exports?handler=Download&kind=invoices&from={Today}&to={Today}");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        var fromPage = await download.Content.ReadAsStringAsync();
        Assert.Contains(number, fromPage, StringComparison.Ordinal);
        Assert.Equal(await _host.Api.GetStringAsync($"/api/exports/invoices.csv?from={Today}&to={Today}"), fromPage);
    }

    [Fact]
    public async Task A_hundred_thousand_rows_are_written_as_they_come_never_held_whole()
    {
        var sink = new CountingStream();
        long written = 0;
        long mostHeld = 0;
        await using (var csv = new CsvWriter(sink))
        {
            await csv.HeaderAsync(CompanyExports.PaymentColumns, CancellationToken.None);
            for (var i = 0; i < 100_000; i++)
            {
                var reference = "Ref " + i.ToString(CultureInfo.InvariantCulture);
                await csv.Date(new DateOnly(2026, 12, 2)).Text("INV-" + i).Text("Jane Smith").Text("1001").Text("bank_transfer")
                    .Text("succeeded").Text("GBP").Number(12.5m, 2).Number(0m, 2).Text(reference).Text(Guid.Empty.ToString()).Text(null)
                    .EndRowAsync(CancellationToken.None);
                written += 90 + reference.Length + ("INV-" + i).Length;
                mostHeld = Math.Max(mostHeld, written - sink.Received);
            }
            Assert.Equal(100_000, csv.Rows);
        }
        // What the writer holds at any moment is a batch of rows and its buffer, not the 10 MB file.
        Assert.True(mostHeld < 128 * 1024, $"the writer held {mostHeld} bytes at once");
        Assert.True(sink.Received > 9_000_000, $"{sink.Received} bytes written");
        Assert.True(sink.Writes > 100, $"{sink.Writes} writes");
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 1234", "'+44 1234")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Formula_starts_are_neutralised(string value, string expected) => Assert.Equal(expected, CsvWriter.Neutralise(value));

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("Łódź Müller", "Łódź Müller")]
    public void Fields_are_quoted_as_rfc_4180_says(string value, string expected) => Assert.Equal(expected, CsvWriter.Quote(value));

    /// <summary>Counts what reaches it and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        public long Received { get; private set; }
        public int Writes { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Received;
        public override long Position { get => Received; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Received += count;
            Writes++;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Received += buffer.Length;
            Writes++;
            return ValueTask.CompletedTask;
        }
    }
}
