namespace Portal;

/// <summary>
/// Every refusal code a caller can receive, in one place: grains throw them in <see cref="PortalRuleViolation"/>, the web
/// edge answers them in problem details, and the pages hand the ones their scripts act on to the browser. docs/api.md's
/// error table lists each with its HTTP status (a test keeps the two in step).
/// </summary>
public static class RuleCodes
{
    /// <summary>The request could not be read (not the expected JSON or form); errors names the field and what it wants.</summary>
    public const string RequestMalformed = "request.malformed";
    /// <summary>The page's antiforgery token is missing or wrong (reload the page).</summary>
    public const string RequestAntiforgery = "request.antiforgery";
    /// <summary>Too many requests (or failed credentials) from this network or API key; Retry-After says when to try again.</summary>
    public const string RequestRateLimited = "request.rate_limited";

    /// <summary>Field validation failed; errors names each field.</summary>
    public const string ValidationFailed = "validation.failed";
    /// <summary>An activity entry is incomplete.</summary>
    public const string ValidationActivity = "validation.activity";
    /// <summary>The amount is zero, negative or has fractions of a penny.</summary>
    public const string ValidationAmount = "validation.amount";
    /// <summary>Bank details are incomplete.</summary>
    public const string ValidationBankDetails = "validation.bank_details";
    /// <summary>The booking's name or times are not valid.</summary>
    public const string ValidationBooking = "validation.booking";
    /// <summary>The brand colour is not a colour like #1d4ed8.</summary>
    public const string ValidationBrandColour = "validation.brand_colour";
    /// <summary>The card checkout session id is missing or too long.</summary>
    public const string ValidationCheckoutSession = "validation.checkout_session";
    /// <summary>The client is missing or belongs to another company.</summary>
    public const string ValidationClient = "validation.client";
    /// <summary>The company id is missing.</summary>
    public const string ValidationCompany = "validation.company";
    /// <summary>The terms of business were not agreed to.</summary>
    public const string ValidationConsent = "validation.consent";
    /// <summary>The currency is not a three-letter code, or not the invoice's.</summary>
    public const string ValidationCurrency = "validation.currency";
    /// <summary>The document version the client saw is missing.</summary>
    public const string ValidationDocumentVersion = "validation.document_version";
    /// <summary>The due date is missing.</summary>
    public const string ValidationDueDate = "validation.due_date";
    /// <summary>The email address is not valid.</summary>
    public const string ValidationEmail = "validation.email";
    /// <summary>The payment provider's event id is missing or too long.</summary>
    public const string ValidationEventId = "validation.event_id";
    /// <summary>A link must expire in the future.</summary>
    public const string ValidationExpiresAt = "validation.expires_at";
    /// <summary>The shared file's id, name or size is not valid.</summary>
    public const string ValidationFile = "validation.file";
    /// <summary>An API key hash is not a 64-character hex SHA-256.</summary>
    public const string ValidationKeyHash = "validation.key_hash";
    /// <summary>The document kind is not a quote or an estimate.</summary>
    public const string ValidationKind = "validation.kind";
    /// <summary>The API key label is not valid.</summary>
    public const string ValidationLabel = "validation.label";
    /// <summary>A document line is missing, or its quantity, price or VAT rate is out of range.</summary>
    public const string ValidationLines = "validation.lines";
    /// <summary>A portal link's id or target is missing.</summary>
    public const string ValidationLink = "validation.link";
    /// <summary>An email is missing its ids or bodies.</summary>
    public const string ValidationMail = "validation.mail";
    /// <summary>A value would break an email header (line break, too long, bad address).</summary>
    public const string ValidationMailHeader = "validation.mail_header";
    /// <summary>A link in an email is not an absolute http(s) address.</summary>
    public const string ValidationMailLink = "validation.mail_link";
    /// <summary>A name is missing or too long.</summary>
    public const string ValidationName = "validation.name";
    /// <summary>A project or document number is not valid.</summary>
    public const string ValidationNumber = "validation.number";
    /// <summary>The password hash is missing.</summary>
    public const string ValidationPasswordHash = "validation.password_hash";
    /// <summary>The payment id is missing or belongs to another payment.</summary>
    public const string ValidationPaymentId = "validation.payment_id";
    /// <summary>Card payments are recorded by the payment provider, not by hand.</summary>
    public const string ValidationPaymentMethod = "validation.payment_method";
    /// <summary>The project is missing or belongs to another client.</summary>
    public const string ValidationProject = "validation.project";
    /// <summary>The decline reason is too long.</summary>
    public const string ValidationReason = "validation.reason";
    /// <summary>The signature is missing, too large or not a PNG.</summary>
    public const string ValidationSignature = "validation.signature";
    /// <summary>The signer is missing.</summary>
    public const string ValidationSigner = "validation.signer";
    /// <summary>The terms of business are empty.</summary>
    public const string ValidationTerms = "validation.terms";
    /// <summary>The time zone is missing or unknown.</summary>
    public const string ValidationTimeZone = "validation.time_zone";
    /// <summary>The project title is missing or too long.</summary>
    public const string ValidationTitle = "validation.title";
    /// <summary>The valid-until date is missing or in the past.</summary>
    public const string ValidationValidUntil = "validation.valid_until";

    /// <summary>The currency is not a three-letter code.</summary>
    public const string MoneyCurrency = "money.currency";
    /// <summary>Amounts in two currencies were combined.</summary>
    public const string MoneyCurrencyMismatch = "money.currency_mismatch";

    /// <summary>The client already exists.</summary>
    public const string ClientExists = "client.exists";
    /// <summary>There is no such client (or it is another company's).</summary>
    public const string ClientNotFound = "client.not_found";

    /// <summary>The company already exists.</summary>
    public const string CompanyExists = "company.exists";
    /// <summary>There is no such company.</summary>
    public const string CompanyNotFound = "company.not_found";

    /// <summary>The invoice already exists.</summary>
    public const string InvoiceExists = "invoice.exists";
    /// <summary>There is no such invoice (or it is another company's).</summary>
    public const string InvoiceNotFound = "invoice.not_found";
    /// <summary>Only a draft invoice can be sent.</summary>
    public const string InvoiceNotSendable = "invoice.not_sendable";
    /// <summary>The invoice cannot take payments in its status (paid, void, draft).</summary>
    public const string InvoiceNotPayable = "invoice.not_payable";
    /// <summary>Only an unpaid invoice can be voided.</summary>
    public const string InvoiceNotVoidable = "invoice.not_voidable";
    /// <summary>The payment is more than the balance.</summary>
    public const string InvoiceOverpayment = "invoice.overpayment";
    /// <summary>A card payment for the invoice is already being processed.</summary>
    public const string InvoicePaymentProcessing = "invoice.payment_processing";
    /// <summary>The payment id or Idempotency-Key was already used for a different payment on this invoice.</summary>
    public const string InvoiceIdempotencyMismatch = "invoice.idempotency_mismatch";
    /// <summary>The proposal to invoice belongs to another project.</summary>
    public const string InvoiceProposalOtherProject = "invoice.proposal_other_project";
    /// <summary>Only an accepted proposal can be invoiced.</summary>
    public const string InvoiceProposalNotAccepted = "invoice.proposal_not_accepted";

    /// <summary>A link with this token has already been issued.</summary>
    public const string LinkExists = "link.exists";
    /// <summary>There is no such portal link.</summary>
    public const string LinkNotFound = "link.not_found";
    /// <summary>The portal link has been revoked.</summary>
    public const string LinkRevoked = "link.revoked";
    /// <summary>The portal link has expired.</summary>
    public const string LinkExpired = "link.expired";

    /// <summary>There is no such email.</summary>
    public const string MailNotFound = "mail.not_found";
    /// <summary>The email is not waiting to be sent.</summary>
    public const string MailNotPending = "mail.not_pending";
    /// <summary>No delivery attempt of the email is under way.</summary>
    public const string MailNotSending = "mail.not_sending";

    /// <summary>The company does not offer this payment method.</summary>
    public const string PaymentMethodUnavailable = "payment.method_unavailable";
    /// <summary>The card payment provider refused or could not be reached.</summary>
    public const string PaymentProviderUnavailable = "payment.provider_unavailable";
    /// <summary>The card provider cannot charge this amount exactly (three-decimal currencies go in steps of ten).</summary>
    public const string PaymentCardAmount = "payment.card_amount";

    /// <summary>The project already exists.</summary>
    public const string ProjectExists = "project.exists";
    /// <summary>There is no such project (or it is another company's).</summary>
    public const string ProjectNotFound = "project.not_found";
    /// <summary>The project is complete; reopen it to change it.</summary>
    public const string ProjectComplete = "project.complete";
    /// <summary>The project is already complete.</summary>
    public const string ProjectAlreadyComplete = "project.already_complete";
    /// <summary>The project is not complete, so it cannot be reopened.</summary>
    public const string ProjectNotComplete = "project.not_complete";

    /// <summary>The proposal already exists.</summary>
    public const string ProposalExists = "proposal.exists";
    /// <summary>There is no such proposal (or it is not this client's or company's).</summary>
    public const string ProposalNotFound = "proposal.not_found";
    /// <summary>The proposal can no longer be edited.</summary>
    public const string ProposalNotEditable = "proposal.not_editable";
    /// <summary>Only a draft proposal can be sent.</summary>
    public const string ProposalNotSendable = "proposal.not_sendable";
    /// <summary>The valid-until date has passed; change it before sending.</summary>
    public const string ProposalValidUntilPassed = "proposal.valid_until_passed";
    /// <summary>The proposal cannot be withdrawn in its status.</summary>
    public const string ProposalNotWithdrawable = "proposal.not_withdrawable";
    /// <summary>The proposal is no longer open to accept or decline.</summary>
    public const string ProposalNotOpen = "proposal.not_open";
    /// <summary>The proposal changed since the client's page loaded.</summary>
    public const string ProposalStaleVersion = "proposal.stale_version";
    /// <summary>The terms of business the client was shown are not the version the proposal was sent with; nothing was recorded.</summary>
    public const string ProposalTermsChanged = "proposal.terms_changed";
    /// <summary>The proposal has expired.</summary>
    public const string ProposalExpired = "proposal.expired";

    /// <summary>The proposal has no drawn signature.</summary>
    public const string SignatureNotFound = "signature.not_found";

    /// <summary>There is no such API key.</summary>
    public const string ApiKeyNotFound = "apikey.not_found";
    /// <summary>The last API key cannot be removed (add another first, so nobody is locked out).</summary>
    public const string ApiKeyLast = "apikey.last";

    /// <summary>The installation already serves another company.</summary>
    public const string StaffCompanyAlreadySet = "staff.company_already_set";
    /// <summary>The company must be set before adding API keys.</summary>
    public const string StaffCompanyNotSet = "staff.company_not_set";
    /// <summary>The first admin has already been set.</summary>
    public const string StaffAdminExists = "staff.admin_exists";
    /// <summary>The signed-in person's (or key's) role may not do this; nothing changed.</summary>
    public const string StaffForbidden = "staff.forbidden";
    /// <summary>The email address already belongs to another account.</summary>
    public const string StaffEmailTaken = "staff.email_taken";
    /// <summary>There is no such staff account or team member.</summary>
    public const string StaffNotFound = "staff.not_found";
    /// <summary>A company keeps exactly one owner: hand ownership on instead.</summary>
    public const string StaffOwnerRequired = "staff.owner_required";

    /// <summary>The payment provider's event is too large.</summary>
    public const string WebhookTooLarge = "webhook.too_large";
    /// <summary>The Stripe-Signature header is missing.</summary>
    public const string WebhookSignatureMissing = "webhook.signature_missing";
    /// <summary>The event's signature is not valid or is too old.</summary>
    public const string WebhookSignatureInvalid = "webhook.signature_invalid";
    /// <summary>The event could not be stored; the provider retries.</summary>
    public const string WebhookNotStored = "webhook.not_stored";

    /// <summary>There is no such invitation or reset link.</summary>
    public const string StaffTicketNotFound = "staff.ticket_not_found";
    /// <summary>The invitation or reset link has expired; ask for a new one.</summary>
    public const string StaffTicketExpired = "staff.ticket_expired";
    /// <summary>The invitation or reset link has already been used.</summary>
    public const string StaffTicketUsed = "staff.ticket_used";
    /// <summary>The person is already a member of the team.</summary>
    public const string StaffAlreadyMember = "staff.already_member";
}
