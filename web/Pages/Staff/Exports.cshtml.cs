using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Domain;
using Portal.Web.Api;
using Portal.Web.Application.Exports;
using Portal.Web.Auth;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/exports</c>: invoices or payments for a range of days as CSV, for the accountant. Owners and admins
/// (money figures); a member gets the friendly 403 page. A mistake in the dates shows the form again with the reason
/// next to the field and the input kept; a valid request downloads at once, streamed.
/// </summary>
[Authorize(Policy = Policy)]
public sealed class ExportsModel(IGrainFactory grains, CompanyExports exports, TimeProvider clock) : PageModel
{
    /// <summary>The Money right's policy (<see cref="StaffRights.PolicyFor"/>).</summary>
    public const string Policy = "staff-right:" + nameof(StaffRight.Money);

    public string From { get; private set; } = "";
    public string To { get; private set; } = "";
    public string Kind { get; private set; } = "invoices";
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync()
    {
        var company = await LoadAsync();
        var today = LocalDay.Today(clock.GetUtcNow(), company.TimeZone);
        From = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        To = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnGetDownloadAsync(string? kind, string? from, string? to)
    {
        (From, To, Kind) = (from?.Trim() ?? "", to?.Trim() ?? "", kind ?? "");
        if (!CompanyExports.TryParseKind(kind, out var exportKind))
        {
            Errors["kind"] = "Choose invoices or payments.";
        }
        var range = CompanyExports.ParseRange(from, to, Errors);
        if (Errors.Count > 0 || range is null)
        {
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await ExportEndpoints.StreamAsync(HttpContext, exports, User.GetCompanyId(), exportKind, range);
        return new EmptyResult();
    }

    private async Task<CompanyView> LoadAsync()
    {
        var company = await grains.GetGrain<ICompanyGrain>(User.GetCompanyId()).Get();
        ViewData["Company"] = company.Name;
        return company;
    }
}
