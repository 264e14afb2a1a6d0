using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// Composes the messages activity calls for and stores them in the outbox. Stateless: the message ids derive
/// from the activity entry ids, so a repeated report enqueues the same messages, which the outbox ignores.
/// A message that cannot be composed (e.g. no notification address) is skipped and logged, never retried;
/// only a failure to store one reaches the caller.
/// </summary>
[StatelessWorker]
public sealed class ActivityMailerGrain(ILogger<ActivityMailerGrain> logger) : Grain, IActivityMailerGrain
{
    public async Task MailAbout(ProjectView project, IReadOnlyList<ActivityEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(project);
        var relevant = (entries ?? []).Where(e => ActivityMail.CallsForEmail(e.Type)).ToList();
        if (relevant.Count == 0)
        {
            return;
        }
        var company = await GrainFactory.GetGrain<ICompanyGrain>(project.CompanyId).Get();
        var client = await GrainFactory.GetGrain<IClientGrain>(project.ClientId).Get();
        foreach (var entry in relevant)
        {
            foreach (var (purpose, compose) in MessagesFor(entry, company, client, project))
            {
                await EnqueueAsync(entry, purpose, compose);
            }
        }
    }

    /// <summary>The message id for one purpose ("receipt", "staff") of one activity entry: the same every time.</summary>
    public static Guid MessageIdFor(Guid entryId, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"portal-mail:{entryId:N}:{purpose}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static IEnumerable<(string Purpose, Func<EmailDraft?> Compose)> MessagesFor(ActivityEntry entry, CompanyView company, ClientView client, ProjectView project)
    {
        switch (entry.Type)
        {
            case ActivityTypes.ProposalAccepted:
                yield return ("staff", () => StaffEmails.ProposalAccepted(company, client, project, entry));
                break;
            case ActivityTypes.ProposalDeclined:
                yield return ("staff", () => StaffEmails.ProposalDeclined(company, client, project, entry));
                break;
            case ActivityTypes.PaymentSucceeded:
                yield return ("receipt", () => Receipt(entry, company, client, project));
                // Staff who record a payment themselves need no email about it.
                if (entry.By.Kind != ActorKind.Staff)
                {
                    yield return ("staff", () => StaffEmails.InvoicePaid(company, client, project, entry));
                }
                break;
        }
    }

    private static EmailDraft? Receipt(ActivityEntry entry, CompanyView company, ClientView client, ProjectView project)
    {
        if (entry.DocumentId is not { } invoiceId || entry.Amount is not { } amount)
        {
            return null;
        }
        var invoice = project.Invoices.FirstOrDefault(i => i.Id == invoiceId);
        var currency = entry.Currency ?? invoice?.Currency ?? company.Currency;
        var number = entry.DocumentNumber ?? invoice?.Number ?? "";
        return ClientEmails.PaymentReceipt(company, client, project, new PaymentReceived(invoiceId, number, amount, currency, entry.At, invoice?.Balance));
    }

    private async Task EnqueueAsync(ActivityEntry entry, string purpose, Func<EmailDraft?> compose)
    {
        OutgoingMail? mail;
        try
        {
            mail = compose()?.WithoutLink();
        }
        catch (PortalRuleViolation refused)
        {
            logger.LogWarning("No {Purpose} email for activity {EntryId} ({Type}): {Reason}", purpose, entry.Id, entry.Type, refused.Message);
            return;
        }
        if (mail is null)
        {
            logger.LogInformation("No {Purpose} email for activity {EntryId} ({Type}): the company has no address for it", purpose, entry.Id, entry.Type);
            return;
        }
        try
        {
            await GrainFactory.GetGrain<IMailMessageGrain>(MessageIdFor(entry.Id, purpose)).Enqueue(mail);
        }
        catch (PortalRuleViolation refused)
        {
            logger.LogWarning("The outbox refused the {Purpose} email for activity {EntryId}: {Reason}", purpose, entry.Id, refused.Message);
        }
    }
}
