// "Make a payment" on the invoice page: the pop-up, bank details fetched on request, the hand-over to card
// checkout, and a re-fetch of the page (through live.js) now and then while a card payment is being confirmed.
(() => {
  'use strict';

  const dialog = document.getElementById('payment-dialog');
  const errorBox = dialog ? dialog.querySelector('.pay-error') : null;

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function clearError() {
    if (errorBox) {
      errorBox.hidden = true;
      errorBox.textContent = '';
    }
  }

  function setBusy(button, busy, text) {
    if (!button) return;
    if (busy) {
      button.dataset.label = button.textContent;
      button.textContent = text || 'Please wait…';
      button.setAttribute('aria-busy', 'true');
      button.disabled = true;
    } else {
      if (button.dataset.label) button.textContent = button.dataset.label;
      button.removeAttribute('aria-busy');
      button.disabled = false;
    }
  }

  async function problemText(response) {
    try {
      const problem = await response.json();
      if (problem && problem.detail) return problem.detail;
    } catch (e) {
      console.warn('pay: the error answer was not JSON', e);
    }
    if (response.status === 400) return 'This page has expired. Reload it and try again.';
    if (response.status === 401 || response.status === 403) return 'Your session has ended. Open the link from your email again.';
    return 'Something went wrong. Try again in a moment, or contact us.';
  }

  function addRow(list, label, value) {
    if (!value) return;
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = label;
    dd.textContent = value;
    row.append(dt, dd);
    list.append(row);
  }

  function showBankDetails(details, form) {
    const box = document.getElementById('bank-details');
    if (!box) return;
    box.replaceChildren();
    const title = document.createElement('h3');
    title.textContent = 'Bank transfer details';
    const list = document.createElement('dl');
    addRow(list, 'Account name', details.accountName);
    addRow(list, 'Sort code', details.sortCode);
    addRow(list, 'Account number', details.accountNumber);
    addRow(list, 'IBAN', details.iban);
    addRow(list, 'BIC', details.bic);
    addRow(list, 'Reference', details.reference);
    addRow(list, 'Amount', details.amountDueText);
    const note = document.createElement('p');
    note.className = 'pay-hint';
    note.textContent = 'Use the reference so we can match your payment. It shows here once we have received it.';
    box.append(title, list, note);
    box.hidden = false;
    form.hidden = true;
    box.focus();
  }

  document.addEventListener('click', (event) => {
    const opener = event.target instanceof Element ? event.target.closest('#make-payment') : null;
    if (!opener || !dialog) return;
    event.preventDefault();
    clearError();
    dialog.showModal();
  });

  if (dialog) {
    dialog.addEventListener('submit', async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.dataset.pay) return; // the close button's method="dialog" form
      event.preventDefault();
      clearError();
      const button = form.querySelector('button[type="submit"]');
      const token = form.querySelector('input[name="__RequestVerificationToken"]');
      setBusy(button, true, form.dataset.busyText);
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          body: new FormData(form),
          credentials: 'same-origin',
          headers: { 'Accept': 'application/json', 'RequestVerificationToken': token ? token.value : '' },
        });
        if (!response.ok) {
          showError(await problemText(response));
          setBusy(button, false);
          return;
        }
        const answer = await response.json();
        if (form.dataset.pay === 'card') {
          // Stays busy: the browser is leaving for the checkout page.
          window.location.assign(answer.url);
          return;
        }
        setBusy(button, false);
        showBankDetails(answer, form);
      } catch (failure) {
        console.warn('pay: request failed', failure);
        showError('We could not reach the server. Check your connection and try again.');
        setBusy(button, false);
      }
    });
  }

  // While a card payment is being confirmed, have the page fetched again now and then (live.js's region swap,
  // the one on the page; the push of the confirmed payment usually comes first), until it is no longer processing.
  const processing = () => document.querySelector('[data-payment-processing]') !== null;
  const pollEveryMs = 2000;
  const giveUpAfterMs = 15 * 60 * 1000;

  async function refresh() {
    if (!window.PortalLive) {
      window.location.reload(); // no live script on this page: the server renders the current state
      return;
    }
    if (!(await window.PortalLive.refresh())) throw new Error('the page could not be fetched');
  }

  if (processing()) {
    const started = Date.now();
    const tick = async () => {
      try {
        await refresh();
      } catch (failure) {
        console.warn('pay: could not refresh the payment status; trying again', failure);
      }
      if (processing() && Date.now() - started < giveUpAfterMs) {
        window.setTimeout(tick, pollEveryMs);
      }
    };
    window.setTimeout(tick, pollEveryMs);
  }
})();
