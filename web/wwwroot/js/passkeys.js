// Passkeys (WebAuthn): "Add a passkey" on /staff/security and "Sign in with a passkey" on /staff/sign-in.
// The server makes and checks every challenge (/staff/security/passkeys/...); this only carries bytes between it and
// the browser's authenticator, as base64url text.
(function () {
  'use strict';

  var prefix = '/staff/security/passkeys';

  function toBytes(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) { base64 += '='; }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var raw = '';
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function tokenIn(form) {
    var input = form.querySelector('input[name="__RequestVerificationToken"]');
    return input ? input.value : '';
  }

  function post(url, token, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!response.ok) {
          throw new Error((json && json.error) || 'Something went wrong (' + response.status + '). Please try again.');
        }
        return json;
      });
    });
  }

  function show(element, message) {
    if (!element) { return; }
    element.textContent = message;
    element.hidden = !message;
  }

  function friendly(error) {
    if (error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
      return 'The passkey request was cancelled or timed out.';
    }
    if (error && error.name === 'InvalidStateError') {
      return 'This device already holds a passkey for your account.';
    }
    return (error && error.message) || 'Something went wrong. Please try again.';
  }

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials);
  }

  // ---- Security page: add a passkey ----
  var register = document.querySelector('form[data-passkey-register]');
  if (register) {
    var nameInput = register.querySelector('#passkey-name');
    var registerError = register.querySelector('#passkey-error');
    register.addEventListener('submit', function (event) {
      event.preventDefault();
      var name = (nameInput.value || '').trim();
      if (!name) {
        show(registerError, 'Give the passkey a name, like "Laptop".');
        nameInput.setAttribute('aria-invalid', 'true');
        nameInput.focus();
        return;
      }
      if (!supported()) {
        show(registerError, 'This browser cannot create passkeys.');
        return;
      }
      nameInput.removeAttribute('aria-invalid');
      show(registerError, '');
      var button = register.querySelector('button[type="submit"]');
      button.disabled = true;
      var token = tokenIn(register);
      post(prefix + '/options', token).then(function (options) {
        options.challenge = toBytes(options.challenge);
        options.user.id = toBytes(options.user.id);
        (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
        return navigator.credentials.create({ publicKey: options });
      }).then(function (credential) {
        return post(prefix, token, {
          name: name,
          credential: {
            id: credential.id,
            rawId: toText(credential.rawId),
            type: credential.type,
            response: {
              attestationObject: toText(credential.response.attestationObject),
              clientDataJSON: toText(credential.response.clientDataJSON),
              transports: credential.response.getTransports ? credential.response.getTransports() : []
            },
            clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
          }
        });
      }).then(function () {
        window.location.assign('/staff/security?done=added');
      }, function (error) {
        button.disabled = false;
        show(registerError, friendly(error));
      });
    });
  }

  // ---- Sign-in page: sign in with a passkey ----
  var signIn = document.querySelector('[data-passkey-sign-in]');
  if (signIn) {
    var form = signIn.closest('form') || document;
    var signInError = document.getElementById('passkey-sign-in-error');
    if (!supported()) {
      signIn.hidden = true;
      return;
    }
    signIn.addEventListener('click', function (event) {
      event.preventDefault();
      show(signInError, '');
      signIn.disabled = true;
      var token = tokenIn(form);
      var returnInput = document.querySelector('input[name="returnUrl"]');
      post(prefix + '/assertion/options', token).then(function (options) {
        options.challenge = toBytes(options.challenge);
        (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
        return navigator.credentials.get({ publicKey: options });
      }).then(function (credential) {
        return post(prefix + '/assertion', token, {
          returnUrl: returnInput ? returnInput.value : null,
          credential: {
            id: credential.id,
            rawId: toText(credential.rawId),
            type: credential.type,
            response: {
              authenticatorData: toText(credential.response.authenticatorData),
              clientDataJSON: toText(credential.response.clientDataJSON),
              signature: toText(credential.response.signature),
              userHandle: toText(credential.response.userHandle)
            },
            clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
          }
        });
      }).then(function (result) {
        window.location.assign(result && result.redirect ? result.redirect : '/staff/feed');
      }, function (error) {
        signIn.disabled = false;
        show(signInError, friendly(error));
      });
    });
  }
})();
