// "Sign to accept" on a proposal page: an accessible modal pop-up over the plain signing form the server renders.
// Draw (signature_pad, scaled for the device pixel ratio) or type, tick consent, confirm. Without this script the
// form still works as a plain POST of a typed name. Loaded as a file: the page's CSP allows no inline script.
(function () {
  'use strict';

  const dialog = document.getElementById('sign-dialog');
  if (!dialog || typeof dialog.showModal !== 'function') {
    return;
  }

  const form = document.getElementById('sign-form');
  const versionInput = document.getElementById('sign-version');
  const termsVersionInput = document.getElementById('sign-terms-version');
  const methodInput = document.getElementById('sign-method');
  const dataInput = document.getElementById('sign-data');
  const tablist = dialog.querySelector('[role="tablist"]');
  const tabs = Array.from(dialog.querySelectorAll('[role="tab"]'));
  const canvas = document.getElementById('sign-pad-canvas');
  const clearButton = document.getElementById('sign-clear');
  const typedInput = document.getElementById('sign-typed-name');
  const preview = document.getElementById('sign-typed-preview');
  const consent = document.getElementById('sign-consent');
  const error = document.getElementById('sign-error');
  const submit = document.getElementById('sign-submit');
  const cancel = dialog.querySelector('.sign-cancel');
  const done = document.getElementById('sign-done');
  const doneTitle = document.getElementById('sign-done-title');
  const submitLabel = submit.textContent;
  const cancelLabel = cancel.textContent;

  // The server refuses drawn signatures over 200 KB; stay well below it.
  const maxPngBytes = 190 * 1024;

  let pad = null;
  let mode = 'typed';
  let opener = null;
  let busy = false;
  let refreshOnClose = false;

  if (typeof window.SignaturePad === 'function' && canvas) {
    pad = new window.SignaturePad(canvas, { minWidth: 0.8, maxWidth: 2.6, penColor: '#111827' });
    pad.addEventListener('beginStroke', () => setError(''));
    tablist.hidden = false;
    mode = 'drawn';
  }
  dialog.querySelectorAll('.sign-close').forEach((button) => { button.hidden = false; });

  // ---- opening and closing ----

  document.addEventListener('click', (event) => {
    const button = event.target.closest('#sign-to-accept');
    if (button) {
      event.preventDefault();
      open(button);
    }
  });

  function open(from) {
    opener = from;
    if (from && from.dataset.version) {
      // The version the page shows now (a live update may have replaced the summary since the page loaded).
      versionInput.value = from.dataset.version;
    }
    if (from && from.dataset.termsVersion && termsVersionInput) {
      // Likewise the terms version the page shows: the consent is to those terms, and the server refuses any other.
      termsVersionInput.value = from.dataset.termsVersion;
    }
    reset();
    if (!dialog.open) {
      dialog.showModal();
    }
    select(mode, false);
    const first = pad ? tabs.find((tab) => tab.getAttribute('aria-selected') === 'true') : typedInput;
    (first || submit).focus();
  }

  function reset() {
    form.hidden = false;
    done.hidden = true;
    submit.hidden = false;
    submit.textContent = submitLabel;
    cancel.textContent = cancelLabel;
    refreshOnClose = false;
    setBusy(false);
    setError('');
  }

  dialog.querySelectorAll('[data-sign-close]').forEach((control) => {
    control.addEventListener('click', (event) => {
      event.preventDefault();
      dialog.close();
    });
  });

  dialog.addEventListener('cancel', (event) => {
    // Esc closes, except while the signature is being sent.
    if (busy) {
      event.preventDefault();
    }
  });

  dialog.addEventListener('close', async () => {
    if (refreshOnClose) {
      refreshOnClose = false;
      await refreshRegions();
      const heading = document.getElementById('signature-title');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
        heading.scrollIntoView({ block: 'center' });
        return;
      }
    }
    const back = document.getElementById('sign-to-accept') || opener;
    if (back && back.isConnected) {
      back.focus();
    }
  });

  // Keep Tab and Shift+Tab inside the pop-up.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') {
      return;
    }
    const items = focusable();
    if (items.length === 0) {
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  });

  function focusable() {
    return Array.from(dialog.querySelectorAll('a[href], button, input, textarea, select, [tabindex]'))
      .filter((el) => !el.disabled && el.tabIndex >= 0 && el.type !== 'hidden' && !el.closest('[hidden]') && el.getClientRects().length > 0);
  }

  // ---- draw or type ----

  tabs.forEach((tab) => tab.addEventListener('click', () => select(tab.dataset.mode, true)));

  tablist.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) {
      return;
    }
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length].dataset.mode, true);
  });

  function select(newMode, focusTab) {
    mode = pad ? newMode : 'typed';
    methodInput.value = mode;
    tabs.forEach((tab) => {
      const selected = tab.dataset.mode === mode;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
      if (selected && focusTab) {
        tab.focus();
      }
    });
    setError('');
    if (mode === 'drawn') {
      fitCanvas();
    }
  }

  // A canvas is drawn in device pixels: size its backing store to its CSS box times the pixel ratio, and keep
  // what was drawn (signature_pad stores strokes in CSS pixels).
  function fitCanvas() {
    if (!pad) {
      return;
    }
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const width = Math.round(canvas.offsetWidth * ratio);
    const height = Math.round(canvas.offsetHeight * ratio);
    if (width === 0 || height === 0 || (canvas.width === width && canvas.height === height)) {
      return;
    }
    const strokes = pad.toData();
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d').scale(ratio, ratio);
    pad.clear();
    if (strokes.length > 0) {
      pad.fromData(strokes);
    }
  }

  window.addEventListener('resize', () => {
    if (dialog.open && mode === 'drawn') {
      fitCanvas();
    }
  });

  if (clearButton) {
    clearButton.addEventListener('click', () => {
      if (pad) {
        pad.clear();
      }
      setError('');
    });
  }

  typedInput.addEventListener('input', () => {
    preview.textContent = typedInput.value;
    preview.hidden = false;
    setError('');
  });
  preview.textContent = typedInput.value;
  preview.hidden = false;

  consent.addEventListener('change', () => setError(''));

  // The image as sent: full resolution, or the CSS-pixel size if that would be too large.
  function drawnPng() {
    let url = pad.toDataURL('image/png');
    if (approximateBytes(url) > maxPngBytes) {
      const small = document.createElement('canvas');
      small.width = canvas.offsetWidth;
      small.height = canvas.offsetHeight;
      small.getContext('2d').drawImage(canvas, 0, 0, small.width, small.height);
      url = small.toDataURL('image/png');
    }
    return url;
  }

  function approximateBytes(dataUrl) {
    return Math.floor((dataUrl.length - dataUrl.indexOf(',') - 1) * 3 / 4);
  }

  // ---- sending ----

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    if (mode === 'drawn' && (!pad || pad.isEmpty())) {
      setError('Draw your signature in the box, or choose Type.');
      return;
    }
    if (mode === 'typed' && typedInput.value.trim() === '') {
      setError('Type your name to sign.');
      typedInput.focus();
      return;
    }
    if (!consent.checked) {
      setError('Tick “I agree to the terms of business” to sign.');
      consent.focus();
      return;
    }
    methodInput.value = mode;
    dataInput.value = mode === 'drawn' ? drawnPng() : '';

    setBusy(true);
    let response;
    try {
      response = await fetch(form.action, {
        method: 'POST',
        body: new FormData(form),
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
    } catch {
      setBusy(false);
      setError('We could not reach the portal. Check your connection and try again.');
      return;
    }
    if (response.ok) {
      setBusy(false);
      thank();
      return;
    }
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
    setBusy(false);
    const message = (problem && problem.detail) || fallback(response.status);
    setError(message);
    if (response.status === 409) {
      // Accepting is no longer possible with what is on screen: closing shows the proposal as it is now.
      refreshOnClose = true;
      submit.hidden = true;
      // The document or its terms changed since the page loaded: the client reviews them again before signing.
      const reviewCodes = (form.dataset.reviewCodes || '').split(' ');
      cancel.textContent = problem && reviewCodes.includes(problem.code) ? 'Review it again' : 'Close';
      cancel.focus();
    }
  });

  function fallback(status) {
    switch (status) {
      case 400: return 'This page has been open for a long time. Reload it and try again.';
      case 401: return 'Your session has ended. Open the link from your email again.';
      case 404: return 'This quote is no longer available in your portal.';
      default: return 'Something went wrong on our side. Please try again in a moment.';
    }
  }

  function thank() {
    refreshOnClose = true;
    form.hidden = true;
    done.hidden = false;
    doneTitle.focus();
  }

  function setBusy(on) {
    busy = on;
    submit.disabled = on;
    submit.setAttribute('aria-busy', String(on));
    submit.textContent = on ? 'Signing…' : submitLabel;
    if (pad) {
      if (on) {
        pad.off();
      } else {
        pad.on();
      }
    }
  }

  function setError(message) {
    error.textContent = message;
  }

  // Show the signed (or changed) quote without a reload: live.js's region swap fetches the page once; without it
  // (no live script on this page) or when the fetch fails, reload.
  async function refreshRegions() {
    const swapped = window.PortalLive ? await window.PortalLive.refresh() : false;
    if (!swapped) {
      window.location.reload();
    }
  }

  // ---- the decline form: busy feedback, one submission ----

  document.addEventListener('submit', (event) => {
    const declineForm = event.target.closest('.decline-form');
    if (!declineForm) {
      return;
    }
    const button = declineForm.querySelector('button[type="submit"]');
    if (button.getAttribute('aria-busy') === 'true') {
      event.preventDefault();
      return;
    }
    button.setAttribute('aria-busy', 'true');
    button.textContent = 'Declining…';
  });

  // Reached with ?sign=1 (the no-script route) while script runs after all: show it as the modal pop-up.
  if (dialog.open) {
    const serverError = error.textContent;
    dialog.removeAttribute('open');
    open(document.getElementById('sign-to-accept'));
    setError(serverError);
  }
})();
