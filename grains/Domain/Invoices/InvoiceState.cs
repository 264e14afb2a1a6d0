namespace Portal.Domain;

/// <summary>
/// An invoice and its payment ledger. Every method checks everything before it changes anything, so a
/// refused command leaves the state exactly as it was.
/// </summary>
public sealed partial class InvoiceState : ISendsToClient
{
    public bool Created { get; set; }
    public bool ProjectStale { get; set; }
    public List<ActivityInput> PendingActivity { get; set; } = [];
    public Guid CompanyId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ClientId { get; set; }
    public string Number { get; set; } = "";
    public InvoiceStatus Status { get; set; }
    public List<PricedLine> Lines { get; set; } = [];
    public DocumentTotals? Totals { get; set; }
    public string Currency { get; set; } = Money.DefaultCurrency;
    public DateOnly DueDate { get; set; }
    public string TimeZone { get; set; } = "Europe/London";
    public string? Notes { get; set; }
    public List<PaymentEntry> Payments { get; set; } = [];

    /// <summary>Ids of the payment-provider events applied to this invoice, oldest first (see <see cref="ApplyCardEvent"/>).</summary>
    public List<string> ProcessedEventIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public ViewRecord? FirstViewed { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    public Guid? FromProposalId { get; set; }
    public int SendCount { get; set; }
    public PendingSend? PendingSend { get; set; }

    public decimal Total => Totals?.Total ?? 0m;

    public decimal AmountPaid => Payments.Sum(p => p.Applied);

    public decimal Balance => Total - AmountPaid;

    /// <summary>Money received that the invoice did not take and staff still have to give back.</summary>
    public decimal RefundDue => Payments.Sum(p => p.RefundDue);

    public void Create(CreateInvoice command, DateTimeOffset now)
    {
        if (Created)
        {
            throw new PortalRuleViolation(RuleCodes.InvoiceExists, "This invoice already exists.");
        }
        var (timeZone, priced) = CheckNew(command);
        var number = Validate.Name(command.Number, RuleCodes.ValidationNumber, "invoice number", 40);

        Created = true;
        CompanyId = command.CompanyId;
        ProjectId = command.ProjectId;
        ClientId = command.ClientId;
        Number = number;
        Status = InvoiceStatus.Draft;
        Lines = priced.Lines;
        Totals = priced.Totals;
        Currency = priced.Totals.Currency;
        DueDate = command.DueDate;
        TimeZone = timeZone;
        Notes = Validate.Optional(command.Notes);
        FromProposalId = command.FromProposalId;
        CreatedAt = now;
    }

    /// <summary>
    /// Every check of <see cref="Create"/> but the number's, so a caller refuses a bad invoice before it allocates a
    /// number for it (a refused create leaves no gap in the sequence). Returns the time zone and the priced lines.
    /// </summary>
    public static (string TimeZone, PricedDocument Priced) CheckNew(CreateInvoice command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Validate.Id(command.CompanyId, RuleCodes.ValidationCompany, "company");
        Validate.Id(command.ProjectId, RuleCodes.ValidationProject, "project");
        Validate.Id(command.ClientId, RuleCodes.ValidationClient, "client");
        if (command.DueDate == default)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationDueDate, "Choose a due date.");
        }
        var timeZone = Validate.TimeZone(string.IsNullOrWhiteSpace(command.TimeZone) ? "Europe/London" : command.TimeZone);
        return (timeZone, Pricing.Price(command.Lines, command.Currency));
    }

    public void Send(DateTimeOffset now)
    {
        EnsureCreated();
        if (Status != InvoiceStatus.Draft)
        {
            throw new PortalRuleViolation(RuleCodes.InvoiceNotSendable, $"Invoice {Number} is {Describe(Status)}; only a draft can be sent.");
        }
        Status = InvoiceStatus.Sent;
        SentAt = now;
    }

    /// <summary>Records the first view of a sent invoice. Returns false (nothing to save) for every later view.</summary>
    public bool MarkViewed(Actor viewer, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(viewer);
        if (Status != InvoiceStatus.Sent || FirstViewed is not null)
        {
            return false;
        }
        Status = InvoiceStatus.Viewed;
        FirstViewed = new ViewRecord(viewer, now);
        return true;
    }

    /// <summary>
    /// Records a succeeded manual payment. Returns false when this very payment is already in the ledger: a
    /// repeated request (double click, retry) must not count the money twice, and is not an error. The same id for a
    /// different payment is refused: the caller reused a key, and answering as if it were a retry would hide that.
    /// </summary>
    public bool RecordManualPayment(RecordManualPayment command, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(command);
        Validate.Id(command.PaymentId, RuleCodes.ValidationPaymentId, "payment id");
        if (Payments.Find(p => p.Id == command.PaymentId) is { } recorded)
        {
            if (recorded.Method != command.Method || recorded.Amount != command.Amount
                || recorded.Reference != Validate.Optional(command.Reference) || recorded.ReceivedOn != command.ReceivedOn)
            {
                throw new PortalRuleViolation(RuleCodes.InvoiceIdempotencyMismatch,
                    "This payment id (or Idempotency-Key) was already used for a different payment on this invoice; use a new one for a new payment.");
            }
            return false;
        }
        if (command.Method == PaymentMethod.Card)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationPaymentMethod, "Card payments are recorded by the payment provider, not by hand.");
        }
        EnsureCanTake(command.Amount);

        Payments.Add(new PaymentEntry
        {
            Id = command.PaymentId,
            Method = command.Method,
            Status = PaymentStatus.Succeeded,
            Amount = command.Amount,
            Currency = Currency,
            Reference = Validate.Optional(command.Reference),
            RecordedAt = now,
            ReceivedOn = command.ReceivedOn,
            RecordedBy = command.RecordedBy,
        });
        SettleStatus();
        KeepCheckoutInStep();
        return true;
    }

    /// <summary>Refuses a new payment of this amount unless the invoice is open for payment and the amount fits the balance.</summary>
    private void EnsureCanTake(decimal amount)
    {
        if (amount <= 0m)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationAmount, "The amount must be more than zero.");
        }
        if (decimal.Round(amount, 2) != amount)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationAmount, "The amount cannot have fractions of a penny.");
        }
        if (!InvoiceRules.TakesPayments(Status))
        {
            throw new PortalRuleViolation(RuleCodes.InvoiceNotPayable, $"Invoice {Number} is {Describe(Status)} and cannot take payments.");
        }
        var balance = Balance;
        if (amount > balance)
        {
            throw new PortalRuleViolation(
                RuleCodes.InvoiceOverpayment,
                $"{new Money(amount, Currency).Format()} is more than the balance of {new Money(balance, Currency).Format()}.");
        }
    }

    /// <summary>
    /// Puts the status in line with the money: nothing paid → Sent (or Viewed once seen), some → PartiallyPaid,
    /// all → Paid. Draft and Void invoices keep their status whatever the ledger says.
    /// </summary>
    private void SettleStatus()
    {
        if (Status is not (InvoiceStatus.Sent or InvoiceStatus.Viewed or InvoiceStatus.PartiallyPaid or InvoiceStatus.Paid))
        {
            return;
        }
        var paid = AmountPaid;
        Status = paid <= 0m
            ? (FirstViewed is null ? InvoiceStatus.Sent : InvoiceStatus.Viewed)
            : paid >= Total ? InvoiceStatus.Paid : InvoiceStatus.PartiallyPaid;
    }

    public void Void(DateTimeOffset now)
    {
        EnsureCreated();
        if (Status is not (InvoiceStatus.Draft or InvoiceStatus.Sent or InvoiceStatus.Viewed) || AmountPaid != 0m)
        {
            throw new PortalRuleViolation(RuleCodes.InvoiceNotVoidable, $"Invoice {Number} is {Describe(Status)}; only an unpaid invoice can be voided.");
        }
        Status = InvoiceStatus.Void;
        VoidedAt = now;
        KeepCheckoutInStep();
    }

    public InvoiceView ToView(Guid id)
    {
        EnsureCreated();
        return new InvoiceView(
            id, CompanyId, ProjectId, ClientId, Number, Status, [.. Lines], Totals!, AmountPaid, Balance, DueDate,
            TimeZone, Notes, Payments.Select(p => p.ToView()).ToList(), CreatedAt, SentAt, FirstViewed, VoidedAt,
            FromProposalId, RefundDue, Checkout?.ToView());
    }

    public InvoiceSummary ToSummary(Guid id)
    {
        EnsureCreated();
        return new InvoiceSummary(
            id, Number, Status, Total, Balance, Currency, SentAt, DueDate, Payments.Select(p => p.ToView()).ToList());
    }

    private void EnsureCreated()
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.InvoiceNotFound, "There is no such invoice.");
        }
    }

    private static string Describe(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => "a draft",
        InvoiceStatus.PartiallyPaid => "partially paid",
        _ => status.ToString().ToLowerInvariant(),
    };
}
