namespace Portal.Domain;

/// <summary>
/// Card payments: checkouts the client starts, and what the payment provider later reports about them. The
/// provider may repeat an event, report one payment under several events, and deliver them in any order, so
/// each event is applied once (by event id) and each payment once (by payment intent id); a success is final
/// except for refunds, and a refund is applied as the charge's refunded total, never as a delta.
/// </summary>
public sealed partial class InvoiceState
{
    /// <summary>Enough to recognise any redelivery Stripe makes (it retries for three days); invoices get few events.</summary>
    public const int ProcessedEventLimit = 500;

    private const string ExpiredReason = "The checkout expired before the payment was made.";

    /// <summary>
    /// Records a checkout the client was given: it becomes the invoice's open checkout and a pending card payment.
    /// Returns false when this checkout session is already known. When another checkout for the same amount is open
    /// and reusable (another tab got there first), that one stays open and this one is withdrawn (expired at the
    /// provider): the caller sends the client to <see cref="Checkout"/>. An open checkout for another amount is
    /// withdrawn in favour of this one. Earlier attempts that never got as far as a payment are dropped from the
    /// ledger: they took no money, and if one is paid after all, its success creates its entry again.
    /// </summary>
    public bool StartCardPayment(StartCardPayment command, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(command);
        Validate.Id(command.PaymentId, RuleCodes.ValidationPaymentId, "payment id");
        ArgumentNullException.ThrowIfNull(command.StartedBy);
        var sessionId = Validate.Name(command.CheckoutSessionId, RuleCodes.ValidationCheckoutSession, "checkout session id", 255);
        var url = Validate.Name(command.Url, RuleCodes.ValidationCheckoutSession, "checkout address", 2048);
        if (command.ExpiresAt <= now)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationCheckoutSession, "The checkout has already expired.");
        }
        if (IsCheckoutKnown(sessionId))
        {
            return false;
        }
        if (Payments.Any(p => p.Id == command.PaymentId))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationPaymentId, "This payment id belongs to another payment.");
        }
        if (!string.Equals(Validate.Currency(command.Currency), Currency, StringComparison.Ordinal))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationCurrency, $"Invoice {Number} is in {Currency}, not {command.Currency}.");
        }
        if (Payments.Any(p => p.Method == PaymentMethod.Card && p.Status == PaymentStatus.Pending && p.ExternalId is not null))
        {
            throw new PortalRuleViolation(RuleCodes.InvoicePaymentProcessing, $"A card payment for invoice {Number} is already being processed.");
        }
        EnsureCanTake(command.Amount);

        if (InvoiceRules.ReusableCheckout(Checkout?.ToView(), command.Amount, now) is not null)
        {
            ExpireLater(sessionId, command.ExpiresAt);
            return true;
        }
        if (Checkout is { } replaced)
        {
            ExpireLater(replaced.SessionId, replaced.ExpiresAt);
        }
        Payments.RemoveAll(p => p.Method == PaymentMethod.Card && p.Status == PaymentStatus.Pending && p.ExternalId is null);
        Payments.Add(new PaymentEntry
        {
            Id = command.PaymentId,
            Method = PaymentMethod.Card,
            Status = PaymentStatus.Pending,
            Amount = command.Amount,
            Currency = Currency,
            RecordedAt = now,
            CheckoutSessionId = sessionId,
            RecordedBy = command.StartedBy,
        });
        Checkout = new OpenCheckout
        {
            SessionId = sessionId,
            Url = url,
            Amount = command.Amount,
            ExpiresAt = command.ExpiresAt,
            PaymentId = command.PaymentId,
        };
        return true;
    }

    /// <summary>
    /// Applies a verified provider event and says what it did. Only <see cref="CardEventOutcome.Applied"/> changes
    /// the state; the event id is then remembered so a redelivery is recognised even before the ledger says so.
    /// </summary>
    public CardEventEffect ApplyCardEvent(CardPaymentEvent cardEvent, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(cardEvent);
        var eventId = Validate.Name(cardEvent.EventId, RuleCodes.ValidationEventId, "event id", 255);
        if (ProcessedEventIds.Contains(eventId, StringComparer.Ordinal))
        {
            return CardEventEffect.Duplicate("This event was applied before.");
        }
        if (!string.Equals(cardEvent.Currency?.Trim(), Currency, StringComparison.OrdinalIgnoreCase))
        {
            return CardEventEffect.Ignored($"The payment is in {cardEvent.Currency}, the invoice in {Currency}.");
        }
        if (cardEvent.PaymentIntentId is null && cardEvent.CheckoutSessionId is null)
        {
            return CardEventEffect.Ignored("The event names no payment.");
        }
        if (cardEvent.Amount < 0m || cardEvent.RefundedTotal < 0m)
        {
            return CardEventEffect.Ignored("The event has a negative amount.");
        }

        var entry = Find(cardEvent.PaymentIntentId, cardEvent.CheckoutSessionId, cardEvent.PaymentId);
        var effect = cardEvent.Kind switch
        {
            CardPaymentEventKind.Processing => Processing(entry, cardEvent, now),
            CardPaymentEventKind.Succeeded => Succeeded(entry, cardEvent, now),
            CardPaymentEventKind.Failed => Failed(entry, cardEvent, now),
            CardPaymentEventKind.Refunded => Refunded(entry, cardEvent, now),
            CardPaymentEventKind.Expired => Expired(entry, cardEvent),
            _ => CardEventEffect.Ignored($"Events of kind {cardEvent.Kind} are not applied."),
        };
        if (effect.Outcome == CardEventOutcome.Applied)
        {
            ProcessedEventIds.Add(eventId);
            if (ProcessedEventIds.Count > ProcessedEventLimit)
            {
                ProcessedEventIds.RemoveRange(0, ProcessedEventIds.Count - ProcessedEventLimit);
            }
            SettleStatus();
            CheckoutFinished(effect.Entry ?? entry, cardEvent);
            KeepCheckoutInStep();
        }
        return effect;
    }

    private PaymentEntry? Find(string? paymentIntentId, string? checkoutSessionId, Guid? paymentId)
    {
        if (paymentIntentId is not null && Payments.Find(p => p.ExternalId == paymentIntentId) is { } byIntent)
        {
            return byIntent;
        }
        // A checkout started here knows its session before the provider names the payment intent.
        if (checkoutSessionId is not null)
        {
            return Payments.Find(p => p.CheckoutSessionId == checkoutSessionId && (p.ExternalId is null || paymentIntentId is null));
        }
        // Payment intent events do not name their checkout session but carry the entry's id in their metadata, so a
        // card declined and retried in the same checkout settles the checkout's own entry instead of leaving it pending.
        return paymentId is { } id
            ? Payments.Find(p => p.Id == id && p.Method == PaymentMethod.Card && p.ExternalId is null)
            : null;
    }

    private PaymentEntry NewCardEntry(CardPaymentEvent e, PaymentStatus status, DateTimeOffset now)
    {
        var entry = new PaymentEntry
        {
            Id = Guid.NewGuid(),
            Method = PaymentMethod.Card,
            Status = status,
            Amount = Currencies.Round(e.Amount, Currency),
            Currency = Currency,
            RecordedAt = now,
            ExternalId = e.PaymentIntentId,
            CheckoutSessionId = e.CheckoutSessionId,
        };
        Payments.Add(entry);
        return entry;
    }

    private static void Identify(PaymentEntry entry, CardPaymentEvent e)
    {
        entry.ExternalId ??= e.PaymentIntentId;
        entry.CheckoutSessionId ??= e.CheckoutSessionId;
    }

    private CardEventEffect Processing(PaymentEntry? entry, CardPaymentEvent e, DateTimeOffset now)
    {
        if (entry is null)
        {
            entry = NewCardEntry(e, PaymentStatus.Pending, now);
            return CardEventEffect.Applied(entry);
        }
        if (entry.Status != PaymentStatus.Pending)
        {
            return CardEventEffect.Ignored($"The payment is already {entry.Status.ToString().ToLowerInvariant()}.");
        }
        if (entry.ExternalId is not null || e.PaymentIntentId is null)
        {
            return CardEventEffect.Duplicate("The payment is already known to be processing.");
        }
        Identify(entry, e);
        return CardEventEffect.Applied(entry);
    }

    private CardEventEffect Succeeded(PaymentEntry? entry, CardPaymentEvent e, DateTimeOffset now)
    {
        var amount = Currencies.Round(e.Amount, Currency);
        if (amount <= 0m)
        {
            return CardEventEffect.Ignored("A payment of nothing changes nothing.");
        }
        if (entry is not null && entry.Counts)
        {
            return CardEventEffect.Duplicate("This payment was recorded before.");
        }
        var activity = Succeed(ref entry, e, amount, now);
        return CardEventEffect.Applied(entry, [.. activity]);
    }

    /// <summary>
    /// Records money the provider took. It is recorded whatever the invoice's state (refusing it would lose it), but
    /// the invoice takes only what it still owes: on a void or paid invoice, or above the balance, the rest is excess
    /// to refund, shown to staff and never counted as paid.
    /// </summary>
    private List<CardActivity> Succeed([System.Diagnostics.CodeAnalysis.NotNull] ref PaymentEntry? entry, CardPaymentEvent e, decimal amount, DateTimeOffset now)
    {
        var owed = InvoiceRules.TakesPayments(Status) ? Math.Max(Balance, 0m) : 0m;
        var excess = Math.Max(amount - owed, 0m);
        if (entry is null)
        {
            entry = NewCardEntry(e, PaymentStatus.Succeeded, now);
        }
        else
        {
            Identify(entry, e);
            entry.Status = PaymentStatus.Succeeded;
            entry.FailureReason = null;
        }
        entry.Amount = amount;
        entry.Excess = excess;
        var activity = new List<CardActivity>();
        if (amount > excess)
        {
            activity.Add(new CardActivity(ActivityTypes.PaymentSucceeded, amount - excess, "Card"));
        }
        if (excess > 0m)
        {
            var why = Status switch
            {
                InvoiceStatus.Void => "the invoice is void",
                InvoiceStatus.Paid => "the invoice was already paid",
                _ => "more than the balance",
            };
            activity.Add(new CardActivity(ActivityTypes.PaymentRefundDue, excess, $"Card; {why}: refund due"));
        }
        return activity;
    }

    private CardEventEffect Failed(PaymentEntry? entry, CardPaymentEvent e, DateTimeOffset now)
    {
        var reason = Reason(e.FailureReason);
        if (entry is null)
        {
            entry = NewCardEntry(e, PaymentStatus.Failed, now);
            entry.FailureReason = reason;
        }
        else if (entry.Counts)
        {
            return CardEventEffect.Ignored("A failure reported after the payment succeeded changes nothing.");
        }
        else if (entry.Status == PaymentStatus.Failed)
        {
            return CardEventEffect.Duplicate("This payment is already recorded as failed.");
        }
        else
        {
            Identify(entry, e);
            entry.Status = PaymentStatus.Failed;
            entry.FailureReason = reason;
        }
        return CardEventEffect.Applied(entry, new CardActivity(ActivityTypes.PaymentFailed, entry.Amount, reason ?? "Card"));
    }

    private CardEventEffect Refunded(PaymentEntry? entry, CardPaymentEvent e, DateTimeOffset now)
    {
        var charged = Currencies.Round(e.Amount, Currency);
        var refundedTotal = Math.Min(Currencies.Round(e.RefundedTotal, Currency), charged);
        if (refundedTotal <= 0m)
        {
            return CardEventEffect.Ignored("Nothing was refunded.");
        }
        var activity = new List<CardActivity>();
        if (entry is null || !entry.Counts)
        {
            // A refund proves the charge succeeded, whatever order the events came in.
            activity.AddRange(Succeed(ref entry, e, charged, now));
        }
        // Refund events carry the running total, so a repeated or late one is never counted again.
        var refundedNow = Math.Min(refundedTotal, entry.Amount) - entry.RefundedAmount;
        if (refundedNow <= 0m)
        {
            return activity.Count == 0 ? CardEventEffect.Duplicate("This refund was recorded before.") : CardEventEffect.Applied(entry, [.. activity]);
        }
        entry.RefundedAmount += refundedNow;
        entry.Status = entry.RefundedAmount >= entry.Amount ? PaymentStatus.Refunded : PaymentStatus.Succeeded;
        activity.Add(new CardActivity(ActivityTypes.PaymentRefunded, refundedNow, "Card refund"));
        return CardEventEffect.Applied(entry, [.. activity]);
    }

    private CardEventEffect Expired(PaymentEntry? entry, CardPaymentEvent e)
    {
        // The provider closed the checkout: it is no longer open here, and nothing is left to expire there.
        var sessionId = e.CheckoutSessionId;
        var wasOpen = sessionId is not null && Checkout?.SessionId == sessionId;
        var wasToExpire = sessionId is not null && CheckoutsToExpire.Any(c => c.SessionId == sessionId);
        var abandoned = entry is { Status: PaymentStatus.Pending, ExternalId: null };
        if (!abandoned && !wasOpen && !wasToExpire)
        {
            return CardEventEffect.Ignored("Only a checkout that never reached payment can expire.");
        }
        if (wasOpen)
        {
            Checkout = null;
        }
        if (wasToExpire)
        {
            CheckoutClosed(sessionId!);
        }
        if (abandoned)
        {
            entry!.Status = PaymentStatus.Failed;
            entry.FailureReason = ExpiredReason;
        }
        return CardEventEffect.Applied(abandoned ? entry : null);
    }

    private static string? Reason(string? text)
    {
        var trimmed = Validate.Optional(text);
        return trimmed is { Length: > 300 } ? trimmed[..300] : trimmed;
    }
}

/// <summary>An activity entry a card event produces: what happened and for how much.</summary>
public sealed record CardActivity(string Type, decimal Amount, string? Detail);

/// <summary>What applying one card event did to the ledger.</summary>
public sealed record CardEventEffect(CardEventOutcome Outcome, string? Note, PaymentEntry? Entry, IReadOnlyList<CardActivity> Activity)
{
    public static CardEventEffect Applied(PaymentEntry? entry, params CardActivity[] activity) => new(CardEventOutcome.Applied, null, entry, activity);

    public static CardEventEffect Duplicate(string note) => new(CardEventOutcome.Duplicate, note, null, []);

    public static CardEventEffect Ignored(string note) => new(CardEventOutcome.Ignored, note, null, []);
}
