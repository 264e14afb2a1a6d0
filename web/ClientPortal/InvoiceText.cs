using System.Globalization;
using System.Text;

namespace Portal.Web.ClientPortal;

/// <summary>The downloadable copy of an invoice: a plain, printable text document.</summary>
public static class InvoiceText
{
    public static string Render(InvoiceView invoice, CompanyView company, ClientView client)
    {
        var currency = invoice.Totals.Currency;
        var text = new StringBuilder();
        text.AppendLine(company.Name);
        if (!string.IsNullOrEmpty(company.Address)) { text.AppendLine(company.Address); }
        if (!string.IsNullOrEmpty(company.VatNumber)) { text.AppendLine(CultureInfo.InvariantCulture, $"VAT number: {company.VatNumber}"); }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"INVOICE {invoice.Number}");
        if (invoice.SentAt is { } sent) { text.AppendLine(CultureInfo.InvariantCulture, $"Date: {Formats.Date(sent, invoice.TimeZone)}"); }
        text.AppendLine(CultureInfo.InvariantCulture, $"Due date: {Formats.Date(invoice.DueDate)}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"For: {client.Name}");
        if (!string.IsNullOrEmpty(client.Address)) { text.AppendLine(client.Address); }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Description",-44} {"Qty",6} {"Unit price",12} {"VAT",6} {"Amount",12}");
        text.AppendLine(new string('-', 84));
        foreach (var line in invoice.Lines)
        {
            var description = line.Description.Length > 44 ? line.Description[..41] + "..." : line.Description;
            text.AppendLine(CultureInfo.InvariantCulture, $"{description,-44} {Formats.Quantity(line.Quantity),6} {Formats.Money(line.UnitPrice, currency),12} {Formats.Rate(line.VatRate),6} {Formats.Money(line.Net, currency),12}");
        }
        text.AppendLine(new string('-', 84));
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Subtotal",70} {Formats.Money(invoice.Totals.Subtotal, currency),13}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"VAT",70} {Formats.Money(invoice.Totals.Vat, currency),13}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Total",70} {Formats.Money(invoice.Totals.Total, currency),13}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Paid",70} {Formats.Money(invoice.AmountPaid, currency),13}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Amount due",70} {Formats.Money(invoice.Balance, currency),13}");
        if (!string.IsNullOrEmpty(company.CompanyRegistrationNumber))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Company registration number: {company.CompanyRegistrationNumber}");
        }
        return text.ToString();
    }
}
