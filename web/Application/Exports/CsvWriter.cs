using System.Globalization;
using System.Text;

namespace Portal.Web.Application.Exports;

/// <summary>
/// Writes RFC 4180 CSV for spreadsheets: UTF-8 with a byte order mark (so Excel reads accents right), CRLF line ends,
/// a field quoted when it holds a comma, a quote or a line break. A text cell that a spreadsheet would run as a formula
/// (starting with <c>= + - @</c>, a tab or a carriage return) is neutralised with a leading apostrophe; numbers are
/// written by <see cref="Number"/> and never neutralised. Rows go out in small flushed batches, so an export of any
/// length holds one batch in memory, never the file.
/// </summary>
public sealed class CsvWriter(Stream output) : IAsyncDisposable
{
    /// <summary>Rows between flushes: a few tens of kilobytes at most.</summary>
    public const int RowsPerFlush = 200;

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true)
    {
        NewLine = "\r\n",
    };

    private readonly List<string> _row = [];
    private int _unflushed;

    public long Rows { get; private set; }

    /// <summary>A text cell, neutralised against formula injection.</summary>
    public CsvWriter Text(string? value)
    {
        _row.Add(Quote(Neutralise(value ?? "")));
        return this;
    }

    /// <summary>A number with exactly <paramref name="decimals"/> places, invariant culture (a dot, no grouping).</summary>
    public CsvWriter Number(decimal value, int decimals)
    {
        _row.Add(value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        return this;
    }

    public CsvWriter Date(DateOnly? value)
    {
        _row.Add(value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
        return this;
    }

    /// <summary>Ends the row; flushes to the output every <see cref="RowsPerFlush"/> rows.</summary>
    public async Task EndRowAsync(CancellationToken cancellationToken)
    {
        await _writer.WriteAsync(string.Join(',', _row).AsMemory(), cancellationToken);
        await _writer.WriteAsync(_writer.NewLine.AsMemory(), cancellationToken);
        _row.Clear();
        Rows++;
        if (++_unflushed >= RowsPerFlush)
        {
            _unflushed = 0;
            await _writer.FlushAsync(cancellationToken);
        }
    }

    public async Task HeaderAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            Text(name);
        }
        await EndRowAsync(cancellationToken);
        Rows = 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
    }

    /// <summary>A leading apostrophe on text a spreadsheet would read as a formula (OWASP's CSV injection advice).</summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
