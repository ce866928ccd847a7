//! Built-in label tables: English, French (France and Canada), German,
//! Spanish, Italian. Entries follow [`super::labels::Label`] order.

use super::labels::Table;

/// English (the default and last-resort fallback).
pub const EN: Table = [
    "Chat with us", "Open chat", "Chat window", "Minimize chat", "Close chat", "Open in a new window",
    "Messages", "Type your message", "Send", "Attach a file", "End chat", "Start a new chat",
    "Hi! How can we help you today?", "Connecting you to an agent…",
    "You are number {position} in the queue.", "Estimated wait: about {minutes} min.",
    "You are chatting with {name}.", "The agent is typing…", "Sending…", "Sent", "Not sent",
    "Uploading file", "You", "Agent", "The chat has ended.", "How was your chat?", "Good", "Bad",
    "Comment (optional)", "Send feedback", "Thank you for your feedback!", "Before we start",
    "Start chat", "Leave us a message", "Send message", "Thank you! We will get back to you soon.",
    "(required)", "Choose…", "Name", "Email", "Department", "Message", "Phone",
    "{field} is required.", "Enter a valid email address, for example name@example.com.",
    "Enter a valid phone number, for example +1 555 123 4567.",
    "{field} is too long (at most {max} characters).", "Choose one of the listed options for {field}.",
    "Please correct the fields marked below.", "Attachments are not accepted in this chat.",
    "“{file}” can’t be sent: {type} files are not accepted. Allowed: {allowed}.",
    "“{file}” can’t be sent: it is {size}, the limit is {max}.", "any file",
    "Your message is too long (at most {max} characters).", "Drop a file to attach it",
    "File unavailable", "Unread messages: {count}",
];

/// French (France and other regions).
pub const FR: Table = [
    "Discutons", "Ouvrir le chat", "Fenêtre de chat", "Réduire le chat", "Fermer le chat",
    "Ouvrir dans une nouvelle fenêtre", "Messages", "Saisissez votre message", "Envoyer",
    "Joindre un fichier", "Terminer le chat", "Démarrer un nouveau chat",
    "Bonjour ! Comment pouvons-nous vous aider ?", "Connexion à un conseiller…",
    "Vous êtes numéro {position} dans la file d’attente.", "Attente estimée : environ {minutes} min.",
    "Vous discutez avec {name}.", "Le conseiller est en train d’écrire…", "Envoi…", "Envoyé",
    "Non envoyé", "Envoi du fichier", "Vous", "Conseiller", "Le chat est terminé.",
    "Comment s’est passé ce chat ?", "Bien", "Pas bien", "Commentaire (facultatif)",
    "Envoyer l’avis", "Merci pour votre avis !", "Avant de commencer", "Démarrer le chat",
    "Laissez-nous un message", "Envoyer le message", "Merci ! Nous vous répondrons rapidement.",
    "(obligatoire)", "Choisir…", "Nom", "E-mail", "Service", "Message", "Téléphone",
    "{field} est obligatoire.", "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
    "Saisissez un numéro de téléphone valide, par exemple +33 1 23 45 67 89.",
    "{field} est trop long ({max} caractères au maximum).", "Choisissez une des options proposées pour {field}.",
    "Veuillez corriger les champs signalés ci-dessous.", "Les pièces jointes ne sont pas acceptées dans ce chat.",
    "« {file} » ne peut pas être envoyé : les fichiers {type} ne sont pas acceptés. Autorisés : {allowed}.",
    "« {file} » ne peut pas être envoyé : il fait {size}, la limite est {max}.", "tout fichier",
    "Votre message est trop long ({max} caractères au maximum).", "Déposez un fichier pour le joindre",
    "Fichier indisponible", "Messages non lus : {count}",
];

/// French (Canada): "clavardage" for chat, "courriel" for email.
pub const FR_CA: Table = [
    "Clavardez avec nous", "Ouvrir le clavardage", "Fenêtre de clavardage", "Réduire le clavardage",
    "Fermer le clavardage", "Ouvrir dans une nouvelle fenêtre", "Messages", "Écrivez votre message",
    "Envoyer", "Joindre un fichier", "Terminer le clavardage", "Commencer un nouveau clavardage",
    "Bonjour! Comment pouvons-nous vous aider?", "Connexion à un agent…",
    "Vous êtes numéro {position} dans la file d’attente.", "Attente estimée : environ {minutes} min.",
    "Vous clavardez avec {name}.", "L’agent est en train d’écrire…", "Envoi…", "Envoyé", "Non envoyé",
    "Envoi du fichier", "Vous", "Agent", "Le clavardage est terminé.", "Comment s’est passé ce clavardage?",
    "Bien", "Pas bien", "Commentaire (facultatif)", "Envoyer la rétroaction", "Merci pour votre rétroaction!",
    "Avant de commencer", "Commencer le clavardage", "Laissez-nous un message", "Envoyer le message",
    "Merci! Nous vous répondrons bientôt.", "(obligatoire)", "Choisir…", "Nom", "Courriel", "Service",
    "Message", "Téléphone", "{field} est obligatoire.",
    "Entrez une adresse courriel valide, par exemple nom@exemple.ca.",
    "Entrez un numéro de téléphone valide, par exemple +1 514 555 1234.",
    "{field} est trop long ({max} caractères au maximum).", "Choisissez une des options proposées pour {field}.",
    "Veuillez corriger les champs indiqués ci-dessous.", "Les pièces jointes ne sont pas acceptées dans ce clavardage.",
    "« {file} » ne peut pas être envoyé : les fichiers {type} ne sont pas acceptés. Permis : {allowed}.",
    "« {file} » ne peut pas être envoyé : il fait {size}, la limite est {max}.", "tout fichier",
    "Votre message est trop long ({max} caractères au maximum).", "Déposez un fichier pour le joindre",
    "Fichier indisponible", "Messages non lus : {count}",
];

/// German.
pub const DE: Table = [
    "Chatten Sie mit uns", "Chat öffnen", "Chatfenster", "Chat minimieren", "Chat schließen",
    "In neuem Fenster öffnen", "Nachrichten", "Nachricht eingeben", "Senden", "Datei anhängen",
    "Chat beenden", "Neuen Chat starten", "Hallo! Wie können wir Ihnen helfen?",
    "Verbindung mit einem Mitarbeiter wird hergestellt…", "Sie sind Nummer {position} in der Warteschlange.",
    "Geschätzte Wartezeit: etwa {minutes} Min.", "Sie chatten mit {name}.", "Der Mitarbeiter schreibt…",
    "Wird gesendet…", "Gesendet", "Nicht gesendet", "Datei wird hochgeladen", "Sie", "Mitarbeiter",
    "Der Chat wurde beendet.", "Wie war Ihr Chat?", "Gut", "Schlecht", "Kommentar (optional)",
    "Feedback senden", "Vielen Dank für Ihr Feedback!", "Bevor wir beginnen", "Chat starten",
    "Hinterlassen Sie uns eine Nachricht", "Nachricht senden", "Danke! Wir melden uns bald bei Ihnen.",
    "(Pflichtfeld)", "Auswählen…", "Name", "E-Mail", "Abteilung", "Nachricht", "Telefon",
    "{field} ist ein Pflichtfeld.", "Geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de.",
    "Geben Sie eine gültige Telefonnummer ein, zum Beispiel +49 30 1234567.",
    "{field} ist zu lang (höchstens {max} Zeichen).", "Wählen Sie eine der angebotenen Optionen für {field}.",
    "Bitte korrigieren Sie die markierten Felder.", "Anhänge werden in diesem Chat nicht angenommen.",
    "„{file}“ kann nicht gesendet werden: {type}-Dateien werden nicht angenommen. Erlaubt: {allowed}.",
    "„{file}“ kann nicht gesendet werden: Die Datei hat {size}, erlaubt sind {max}.", "jede Datei",
    "Ihre Nachricht ist zu lang (höchstens {max} Zeichen).", "Datei zum Anhängen hier ablegen",
    "Datei nicht verfügbar", "Ungelesene Nachrichten: {count}",
];

/// Spanish.
pub const ES: Table = [
    "Chatea con nosotros", "Abrir el chat", "Ventana de chat", "Minimizar el chat", "Cerrar el chat",
    "Abrir en una ventana nueva", "Mensajes", "Escribe tu mensaje", "Enviar", "Adjuntar un archivo",
    "Finalizar el chat", "Iniciar un chat nuevo", "¡Hola! ¿En qué podemos ayudarte?",
    "Conectando con un agente…", "Eres el número {position} en la cola.",
    "Espera estimada: unos {minutes} min.", "Estás chateando con {name}.", "El agente está escribiendo…",
    "Enviando…", "Enviado", "No enviado", "Subiendo archivo", "Tú", "Agente", "El chat ha finalizado.",
    "¿Qué tal ha ido el chat?", "Bien", "Mal", "Comentario (opcional)", "Enviar valoración",
    "¡Gracias por tu valoración!", "Antes de empezar", "Iniciar chat", "Déjanos un mensaje",
    "Enviar mensaje", "¡Gracias! Te responderemos pronto.", "(obligatorio)", "Elegir…", "Nombre",
    "Correo electrónico", "Departamento", "Mensaje", "Teléfono", "{field} es obligatorio.",
    "Introduce un correo electrónico válido, por ejemplo nombre@ejemplo.es.",
    "Introduce un número de teléfono válido, por ejemplo +34 912 345 678.",
    "{field} es demasiado largo (como máximo {max} caracteres).", "Elige una de las opciones de {field}.",
    "Corrige los campos marcados a continuación.", "No se aceptan archivos adjuntos en este chat.",
    "No se puede enviar «{file}»: no se aceptan archivos {type}. Permitidos: {allowed}.",
    "No se puede enviar «{file}»: ocupa {size} y el límite es {max}.", "cualquier archivo",
    "Tu mensaje es demasiado largo (como máximo {max} caracteres).", "Suelta un archivo para adjuntarlo",
    "Archivo no disponible", "Mensajes no leídos: {count}",
];

/// Italian.
pub const IT: Table = [
    "Chatta con noi", "Apri la chat", "Finestra della chat", "Riduci la chat", "Chiudi la chat",
    "Apri in una nuova finestra", "Messaggi", "Scrivi il tuo messaggio", "Invia", "Allega un file",
    "Termina la chat", "Avvia una nuova chat", "Ciao! Come possiamo aiutarti?",
    "Connessione a un operatore…", "Sei il numero {position} in coda.", "Attesa stimata: circa {minutes} min.",
    "Stai chattando con {name}.", "L’operatore sta scrivendo…", "Invio…", "Inviato", "Non inviato",
    "Caricamento del file", "Tu", "Operatore", "La chat è terminata.", "Com’è andata la chat?", "Bene",
    "Male", "Commento (facoltativo)", "Invia feedback", "Grazie per il tuo feedback!", "Prima di iniziare",
    "Avvia chat", "Lasciaci un messaggio", "Invia messaggio", "Grazie! Ti risponderemo presto.",
    "(obbligatorio)", "Scegli…", "Nome", "Email", "Reparto", "Messaggio", "Telefono",
    "{field} è obbligatorio.", "Inserisci un indirizzo email valido, ad esempio nome@esempio.it.",
    "Inserisci un numero di telefono valido, ad esempio +39 06 1234 5678.",
    "{field} è troppo lungo (al massimo {max} caratteri).", "Scegli una delle opzioni elencate per {field}.",
    "Correggi i campi indicati qui sotto.", "Gli allegati non sono accettati in questa chat.",
    "Impossibile inviare «{file}»: i file {type} non sono accettati. Consentiti: {allowed}.",
    "Impossibile inviare «{file}»: pesa {size}, il limite è {max}.", "qualsiasi file",
    "Il messaggio è troppo lungo (al massimo {max} caratteri).", "Rilascia un file per allegarlo",
    "File non disponibile", "Messaggi non letti: {count}",
];
