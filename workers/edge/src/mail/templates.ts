// What Consign's emails say, in one place (the Directory decides when to send them; sendMail in
// postmark.ts sends them). Plain text: codes and links read the same in every mail client.
import type { Mail } from "./postmark.ts";

/** The sign-up code for a new account, good for `minutes`. */
export function signUpCodeMail(to: string, sellerName: string, code: string, minutes: number): Mail {
  return {
    to,
    tag: "signup-code",
    subject: `Your Consign code: ${code}`,
    text: `Your code to open the Consign account of ${sellerName} is\n\n    ${code}\n\nEnter it where you signed up. It works for ${minutes} minutes. If you did not ask for it, you need do nothing.`,
  };
}

/**
 * To an email that already has an account, when someone signs up with it: sign-up answers the same
 * for every email, so this note is how the owner of the address learns of it (and nothing changes).
 */
export function signUpExistingMail(to: string, publicUrl: string | undefined): Mail {
  return {
    to,
    tag: "signup-existing",
    subject: "Someone tried to open a Consign account with your email",
    text: `Someone (perhaps you) tried to open a new Consign account with ${to}, which already has one.\n\nIf it was you, sign in instead${publicUrl ? ` at ${publicUrl}/signin` : ""}. If you have forgotten your password, ask your team's owner to invite you again.\n\nIf it was not you, you need do nothing: no account was changed.`,
  };
}
