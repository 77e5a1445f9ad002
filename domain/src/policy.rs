//! Every number the policy sets, once. Each constant names the requirement or policy section
//! it comes from; the code that applies it imports it from here.

/// Calendar days the recipient has to accept or refuse, counted from the day after the
/// notification (LET-06, policy §7.2.6).
pub const ACCEPTANCE_DAYS: u64 = 15;
/// Days after the notification on which a reminder is due (LET-07, policy §7.2.7).
pub const REMINDER_DAYS: [u64; 3] = [4, 8, 12];
/// Local time of day (legal time zone) at which reminders are due (LET-07).
pub const REMINDER_HOUR: u32 = 8;

/// Milliseconds in a minute, for the windows below.
const MINUTE_MS: i64 = 60 * 1000;
/// A login session ends after 15 minutes without a request (AUTH-03, policy §6.5).
pub const IDLE_TIMEOUT_MS: i64 = 15 * MINUTE_MS;
/// A session's last activity is recorded to this precision (issue 11): a request writes it
/// only when the stored one is at least this old, so that a page (several server functions)
/// or a burst of pages costs at most one write. The inactivity logout may thus come up to
/// this much before 15 minutes after the last request, never after.
pub const ACTIVITY_PRECISION_MS: i64 = 30 * 1000;
/// An OTP session lasts exactly 15 minutes from the second-factor check (AUTH-02).
pub const OTP_SESSION_MS: i64 = 15 * MINUTE_MS;
/// A recipient's reception session (identified by a proofing, without an account) lasts 15
/// minutes, like an OTP session (AUTH-02, policy §6.3).
pub const RECEPTION_SESSION_MS: i64 = 15 * MINUTE_MS;
/// An emailed link (address confirmation, reactivation) works once, for 15 minutes (ACC-02).
pub const LINK_VALIDITY_MS: i64 = 15 * MINUTE_MS;
/// The sliding window of failed sign-in and second-factor attempts (AUTH-04).
pub const ATTEMPT_WINDOW_MS: i64 = 15 * MINUTE_MS;
/// Failed attempts allowed per account within [`ATTEMPT_WINDOW_MS`].
pub const ATTEMPTS_PER_ACCOUNT: i64 = 5;
/// Failed attempts allowed per IP address within [`ATTEMPT_WINDOW_MS`] (several people may
/// share one address).
pub const ATTEMPTS_PER_IP: i64 = 20;

/// Days a consent request stays open before it expires, with its evidence (CONS-04). The
/// policy sets no period; 30 days leaves a recipient time to read and decide, and a sender may
/// ask again afterwards.
pub const CONSENT_REQUEST_DAYS: u64 = 30;

/// Most bytes of attachments one letter may carry (all recipients get the same content):
/// 256 MiB. The server refuses an upload that would exceed it before storing anything; see
/// docs/letters.md.
pub const MAX_LETTER_BYTES: u64 = 256 * 1024 * 1024;
/// Most attachments in one letter.
pub const MAX_ATTACHMENTS: usize = 20;
/// Longest attachment file name, in characters.
pub const FILE_NAME_MAX_CHARS: usize = 200;
/// Longest letter subject, in characters (LET-01).
pub const SUBJECT_MAX_CHARS: usize = 200;
/// Longest letter message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 10_000;
/// Longest name (of a person, a contact or a company), in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Shortest accepted password, in characters: length is what makes a password strong, and a
/// passphrase of a few words passes easily (NIST SP 800-63B asks for at least 8; we ask 12).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest accepted password, in bytes (argon2 takes any length; this bounds the work).
pub const PASSWORD_MAX_BYTES: usize = 1024;
/// Largest evidence PDF the verification page accepts (ours are tens of kilobytes).
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;
