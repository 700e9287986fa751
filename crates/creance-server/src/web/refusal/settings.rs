//! The settings' refusals in French: the company, bank accounts, payment methods, account codes,
//! users, API tokens, the SMTP server and the letterhead ([`SettingsFault`]).

use creance_app::settings::SettingsRejection;
use creance_app::tokens::TokenRejection;
use creance_app::SettingsFault;

pub(super) fn rejection_fr(r: &SettingsRejection) -> String {
    match r {
        SettingsRejection::BankAccountNameTaken { name } => {
            format!("un compte bancaire nommé « {name} » existe déjà")
        }
    }
}

pub(super) fn token_fr(r: &TokenRejection) -> String {
    match r {
        TokenRejection::AlreadyRevoked { token_id, at } => format!("le jeton {token_id} a déjà été révoqué le {at}"),
        TokenRejection::Changed { token_id } => {
            format!("le jeton {token_id} ne peut pas être révoqué maintenant : il a changé entre-temps")
        }
    }
}

pub(super) fn fault_fr(x: &SettingsFault) -> String {
    match x {
        SettingsFault::CompanyNameMissing => "indiquez le nom de la société".into(),
        SettingsFault::AlreadyInstalled => {
            "Créance est déjà installé : un utilisateur existe ; connectez-vous, ou demandez un compte à un administrateur".into()
        }
        SettingsFault::BankNameMissing => "indiquez le nom du compte bancaire".into(),
        SettingsFault::NotAnIban { text } => format!("« {text} » n'est pas un IBAN valide (clé ou longueur)"),
        SettingsFault::MethodCodeChars { code } => {
            format!("« {code} » : utilisez des lettres, des chiffres, - et _ seulement")
        }
        SettingsFault::NotAnAccountRole { text, known } => {
            format!("« {text} » n'est pas un rôle de compte ; choisissez parmi {}", known.join(", "))
        }
        SettingsFault::NotAnAccountNumber { code } => format!("« {code} » n'est pas un numéro de compte"),
        SettingsFault::DuplicateWindowOutOfRange => "indiquez de 0 à 366 jours".into(),
        SettingsFault::DocumentAmountMaxOutOfRange { max, ceiling } => format!(
            "{max} est hors limites ; indiquez de 1 à {ceiling} (unités entières de la devise de la pièce), ou rien"
        ),
        SettingsFault::NotAnAddress { text, .. } => format!("« {text} » n'est pas une adresse e-mail"),
        SettingsFault::BadFromAddress { text, .. } => format!(
            "l'adresse d'expédition enregistrée « {text} » n'est pas une adresse e-mail ; corrigez-la dans les \
             paramètres SMTP"
        ),
        SettingsFault::NotAHost => {
            "indiquez un nom d'hôte ou une adresse, sans espace ni protocole (smtp.exemple.fr)".into()
        }
        SettingsFault::NotAPort { port } => format!("{port} n'est pas un port (de 1 à 65535)"),
        SettingsFault::PasswordField { max } => format!("au plus {max} caractères, sans caractère de contrôle"),
        SettingsFault::SmtpNotSet => {
            "aucun serveur SMTP n'est paramétré : enregistrez les paramètres avant d'envoyer un essai".into()
        }
        SettingsFault::NotAUserEmail { text } => format!("« {text} » n'est pas une adresse e-mail"),
        SettingsFault::PasswordTooShort { chars, min } => format!("{chars} caractères ; au moins {min}"),
        SettingsFault::PasswordTooLong { bytes, max } => format!("{bytes} octets ; au plus {max}"),
        SettingsFault::NameEmpty => "indiquez le nom".into(),
        SettingsFault::UserExists { email } => format!("un utilisateur d'adresse {email} existe déjà"),
        SettingsFault::DisableYourself => "vous ne pouvez pas désactiver votre propre compte".into(),
        SettingsFault::DisabledAlready { email } => format!("{email} est déjà désactivé"),
        SettingsFault::WorksElsewhere { email, company } => {
            format!("{email} travaille aussi pour {company}, que vous n'administrez pas")
        }
        SettingsFault::SignatureLines { max } => format!("au plus {max} lignes"),
        SettingsFault::NotALetterLanguage { text } => {
            format!("« {text} » n'est pas une langue des lettres : fr, en, de")
        }
        SettingsFault::LanguageTwice { code } => format!("« {code} » figure deux fois"),
        SettingsFault::NoBankAccountOf { id, known } => {
            format!("aucun compte bancaire {id} ; les comptes sont {}", known.join(", "))
        }
        SettingsFault::LogoTooLarge { bytes, max } => {
            format!("{bytes} octets, plus que la limite de {max} octets (512 Kio)")
        }
        SettingsFault::LogoNotJpeg => "le logo doit être un JPEG à une composante (gris) ou trois (RVB)".into(),
    }
}
