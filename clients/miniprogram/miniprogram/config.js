// Deployment settings of the mini-program. Only public values live here:
// the AppID goes in project.config.json, secrets stay on the server.
module.exports = {
  // Owner API prefix (docs/owner-api.md), ending with a slash. The domain
  // must be listed as a request, uploadFile and downloadFile domain in the
  // WeChat admin console.
  baseUrl: 'https://property.example.com/aishang/api/v1/',
  // Request timeout, milliseconds.
  timeout: 15000,
  // Upload of a ticket photo (up to 5 MB), milliseconds.
  uploadTimeout: 60000,
  // Polling of a payment order after wx.requestPayment.
  payPollIntervalMs: 2000,
  payPollAttempts: 15,
};
