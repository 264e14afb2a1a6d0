using System.Reflection;
using System.Text.RegularExpressions;

namespace Portal.Tests.Domain;

/// <summary>The catalogue of refusal codes is the one place a code is spelled, and the error table in docs/api.md documents every one.</summary>
public partial class RuleCodesTests
{
    private static readonly IReadOnlyList<(string Name, string Code)> Catalogue = typeof(RuleCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
        .ToList();

    [Fact]
    public void Every_code_is_unique_and_shaped_area_dot_rule()
    {
        Assert.True(Catalogue.Count > 80, $"only {Catalogue.Count} codes found");
        var repeated = Catalogue.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(repeated);
        Assert.All(Catalogue, c => Assert.Matches(CodeShape(), c.Code));
    }

    [Fact]
    public void The_documented_error_table_lists_every_code_and_no_other()
    {
        var reference = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api.md"));
        var start = reference.IndexOf("### Error codes", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/api.md has no \"### Error codes\" section");
        var end = reference.IndexOf("\n## ", start, StringComparison.Ordinal);
        var section = end < 0 ? reference[start..] : reference[start..end];
        var rows = TableRow().Matches(section).Select(m => (Code: m.Groups["code"].Value, Status: int.Parse(m.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var codes = Catalogue.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(codes.Except(rows.Select(r => r.Code)));
        Assert.Empty(rows.Select(r => r.Code).Except(codes));
        Assert.Equal(rows.Count, rows.Select(r => r.Code).Distinct().Count());
        Assert.All(rows, r => Assert.InRange(r.Status, 400, 599));
    }

    [Fact]
    public void No_code_is_spelled_as_a_literal_outside_the_catalogue()
    {
        var root = RepositoryRoot();
        var codes = Catalogue.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        // Activity types are a catalogue of their own (ActivityTypes), and one of them reads like a rule code.
        var skipped = new[] { Path.Combine("Common", "RuleCodes.cs"), Path.Combine("Activity", "ActivityRecords.cs") };
        var sources = new[] { "grain-interfaces", "grains", "silo", "web" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)
                || (f.EndsWith(".js", StringComparison.Ordinal) && f.Contains(Path.Combine("wwwroot", "js"), StringComparison.Ordinal)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !skipped.Any(s => f.EndsWith(s, StringComparison.Ordinal)));

        var literals = sources
            .SelectMany(f => QuotedText().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(root, f), Code: m.Groups["text"].Value)))
            .Where(l => codes.Contains(l.Code))
            .Select(l => $"{l.File}: {l.Code}")
            .ToList();
        Assert.Empty(literals);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Portal.sln not found above the test's directory.");
    }

    [GeneratedRegex(@"^[a-z]+\.[a-z]+(_[a-z]+)*$")]
    private static partial Regex CodeShape();

    [GeneratedRegex(@"^\| `(?<code>[a-z_.]+)` \| (?<status>\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"[""'](?<text>[a-z]+\.[a-z_]+)[""']")]
    private static partial Regex QuotedText();
}
