//! [`SettingsFault`]: what is wrong with a field of the company's settings (SPEC §3, §5): the
//! company, its bank accounts, payment methods and account codes, its users, its SMTP server and its
//! letterhead.

/// What is wrong with a settings field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsFault {
    /// A company without a name.
    CompanyNameMissing,
    /// The installation page once a user exists.
    AlreadyInstalled,
    /// A bank account without a name.
    BankNameMissing,
    /// An IBAN whose checksum or length is wrong.
    NotAnIban { text: String },
    /// A payment method code with other characters than letters, digits, - and _.
    MethodCodeChars { code: String },
    /// Not an account role (`known`: the roles).
    NotAnAccountRole { text: String, known: Vec<String> },
    /// An account code that is not a number.
    NotAnAccountNumber { code: String },
    /// A duplicate window outside 0–366 days.
    DuplicateWindowOutOfRange,
    /// A document amount maximum outside 1–`ceiling` whole units.
    DocumentAmountMaxOutOfRange { max: i64, ceiling: i64 },
    /// An SMTP setting's address that is not an e-mail address (`why`: the parser's English reason,
    /// given to the API only).
    NotAnAddress { text: String, why: String },
    /// The SMTP sender address stored is not an e-mail address (`why` as above).
    BadFromAddress { text: String, why: String },
    /// An SMTP host with a space or a scheme.
    NotAHost,
    /// An SMTP port outside 1–65535.
    NotAPort { port: i64 },
    /// An SMTP password too long or with a control character.
    PasswordField { max: usize },
    /// A test e-mail before the SMTP server is set.
    SmtpNotSet,
    /// A user's e-mail that is not an address.
    NotAUserEmail { text: String },
    /// A password shorter than accepted.
    PasswordTooShort { chars: usize, min: usize },
    /// A password longer than accepted.
    PasswordTooLong { bytes: usize, max: usize },
    /// A user without a name.
    NameEmpty,
    /// A user with that e-mail exists already.
    UserExists { email: String },
    /// An administrator disabling their own account.
    DisableYourself,
    /// Disabling a user who is disabled already.
    DisabledAlready { email: String },
    /// Disabling a user who also works in a company the administrator does not administer.
    WorksElsewhere { email: String, company: String },
    /// A signature of more lines than a letter takes.
    SignatureLines { max: usize },
    /// A signature for a language letters are not written in.
    NotALetterLanguage { text: String },
    /// A signature language given twice.
    LanguageTwice { code: String },
    /// No bank account with that id (`known`: the company's accounts).
    NoBankAccountOf { id: i64, known: Vec<String> },
    /// A logo larger than accepted.
    LogoTooLarge { bytes: usize, max: usize },
    /// A logo that is not a grey or RGB JPEG.
    LogoNotJpeg,
}

impl std::fmt::Display for SettingsFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsFault::CompanyNameMissing => f.write_str("a company needs a name"),
            SettingsFault::AlreadyInstalled => f.write_str(
                "Créance is installed already: a user exists; log in, or ask an administrator for an account",
            ),
            SettingsFault::BankNameMissing => f.write_str("a bank account needs a name"),
            SettingsFault::NotAnIban { text } => write!(f, "{text:?} is not a valid IBAN (checksum or length)"),
            SettingsFault::MethodCodeChars { code } => write!(f, "{code:?}: use letters, digits, - and _"),
            SettingsFault::NotAnAccountRole { text, known } => {
                write!(f, "{text:?} is not an account role; use one of {}", known.join(", "))
            }
            SettingsFault::NotAnAccountNumber { code } => write!(f, "{code:?} is not an account number"),
            SettingsFault::DuplicateWindowOutOfRange => f.write_str("give 0 to 366 days"),
            SettingsFault::DocumentAmountMaxOutOfRange { max, ceiling } => write!(
                f,
                "{max} is out of range; give 1 to {ceiling} (whole units of the document's currency), or none"
            ),
            SettingsFault::NotAnAddress { text, why } => write!(f, "{text:?} is not an e-mail address ({why})"),
            SettingsFault::BadFromAddress { text, why } => write!(f, "{text:?}: {why}"),
            SettingsFault::NotAHost => {
                f.write_str("a host name or address, without spaces or scheme (smtp.example.com)")
            }
            SettingsFault::NotAPort { port } => write!(f, "{port} is not a port (1 to 65535)"),
            SettingsFault::PasswordField { max } => write!(f, "at most {max} characters, without control characters"),
            SettingsFault::SmtpNotSet => f.write_str("no SMTP server is set: save the settings before sending a test"),
            SettingsFault::NotAUserEmail { text } => write!(f, "{text:?} is not an e-mail address"),
            SettingsFault::PasswordTooShort { chars, min } => write!(f, "{chars} characters; at least {min}"),
            SettingsFault::PasswordTooLong { bytes, max } => write!(f, "{bytes} bytes; at most {max}"),
            SettingsFault::NameEmpty => f.write_str("is empty"),
            SettingsFault::UserExists { email } => write!(f, "a user with the e-mail {email} exists already"),
            SettingsFault::DisableYourself => f.write_str("you cannot disable yourself"),
            SettingsFault::DisabledAlready { email } => write!(f, "{email} is disabled already"),
            SettingsFault::WorksElsewhere { email, company } => {
                write!(f, "{email} also works in {company}, which you do not administer")
            }
            SettingsFault::SignatureLines { max } => write!(f, "at most {max} lines"),
            SettingsFault::NotALetterLanguage { text } => {
                write!(f, "{text:?} is not one of the languages letters are written in: fr, en, de")
            }
            SettingsFault::LanguageTwice { code } => write!(f, "{code:?} is given twice"),
            SettingsFault::NoBankAccountOf { id, known } => {
                write!(f, "no bank account {id}; the accounts are {}", known.join(", "))
            }
            SettingsFault::LogoTooLarge { bytes, max } => {
                write!(f, "{bytes} bytes is over the limit of {max} bytes (512 KiB)")
            }
            SettingsFault::LogoNotJpeg => f.write_str("not a JPEG of one (grey) or three (RGB) colour components"),
        }
    }
}
