//! Built-in label tables: Dutch, Portuguese, Japanese, Simplified Chinese,
//! Arabic (right to left). Entries follow [`super::labels::Label`] order.

use super::labels::Table;

/// Dutch.
pub const NL: Table = [
    "Chat met ons", "Chat openen", "Chatvenster", "Chat minimaliseren", "Chat sluiten",
    "Openen in een nieuw venster", "Berichten", "Typ je bericht", "Versturen", "Bestand bijvoegen",
    "Chat beëindigen", "Nieuwe chat starten", "Hallo! Waarmee kunnen we je helpen?",
    "Je wordt verbonden met een medewerker…", "Je bent nummer {position} in de wachtrij.",
    "Geschatte wachttijd: ongeveer {minutes} min.", "Je chat met {name}.", "De medewerker typt…",
    "Versturen…", "Verstuurd", "Niet verstuurd", "Bestand uploaden", "Jij", "Medewerker",
    "De chat is beëindigd.", "Hoe was je chat?", "Goed", "Slecht", "Opmerking (optioneel)",
    "Feedback versturen", "Bedankt voor je feedback!", "Voordat we beginnen", "Chat starten",
    "Laat een bericht achter", "Bericht versturen", "Bedankt! We nemen snel contact met je op.",
    "(verplicht)", "Kies…", "Naam", "E-mail", "Afdeling", "Bericht", "Telefoon", "{field} is verplicht.",
    "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
    "Vul een geldig telefoonnummer in, bijvoorbeeld +31 20 123 4567.",
    "{field} is te lang (maximaal {max} tekens).", "Kies een van de opties voor {field}.",
    "Corrigeer de gemarkeerde velden hieronder.", "Bijlagen worden in deze chat niet geaccepteerd.",
    "“{file}” kan niet worden verstuurd: {type}-bestanden worden niet geaccepteerd. Toegestaan: {allowed}.",
    "“{file}” kan niet worden verstuurd: het is {size}, de limiet is {max}.", "elk bestand",
    "Je bericht is te lang (maximaal {max} tekens).", "Sleep een bestand hierheen om het bij te voegen",
    "Bestand niet beschikbaar", "Ongelezen berichten: {count}",
    "Videogesprek", "De medewerker nodigt u uit voor een videogesprek.", "Deelnemen", "Niet nu",
    "Ophangen", "Camera", "Microfoon", "Wachten tot de medewerker het videogesprek start…",
];

/// Portuguese.
pub const PT: Table = [
    "Fale connosco", "Abrir o chat", "Janela de chat", "Minimizar o chat", "Fechar o chat",
    "Abrir numa nova janela", "Mensagens", "Escreva a sua mensagem", "Enviar", "Anexar um ficheiro",
    "Terminar o chat", "Iniciar um novo chat", "Olá! Como podemos ajudar?", "A ligar a um agente…",
    "É o número {position} na fila.", "Espera estimada: cerca de {minutes} min.", "Está a conversar com {name}.",
    "O agente está a escrever…", "A enviar…", "Enviada", "Não enviada", "A carregar o ficheiro", "Você",
    "Agente", "O chat terminou.", "Como correu o chat?", "Bom", "Mau", "Comentário (opcional)",
    "Enviar avaliação", "Obrigado pela sua avaliação!", "Antes de começar", "Iniciar chat",
    "Deixe-nos uma mensagem", "Enviar mensagem", "Obrigado! Entraremos em contacto em breve.",
    "(obrigatório)", "Escolher…", "Nome", "E-mail", "Departamento", "Mensagem", "Telefone",
    "{field} é obrigatório.", "Introduza um e-mail válido, por exemplo nome@exemplo.pt.",
    "Introduza um número de telefone válido, por exemplo +351 21 123 4567.",
    "{field} é demasiado longo (no máximo {max} caracteres).", "Escolha uma das opções de {field}.",
    "Corrija os campos assinalados abaixo.", "Não são aceites anexos neste chat.",
    "Não é possível enviar «{file}»: ficheiros {type} não são aceites. Permitidos: {allowed}.",
    "Não é possível enviar «{file}»: tem {size} e o limite é {max}.", "qualquer ficheiro",
    "A sua mensagem é demasiado longa (no máximo {max} caracteres).", "Largue um ficheiro para o anexar",
    "Ficheiro indisponível", "Mensagens não lidas: {count}",
    "Videochamada", "O agente convida-o para uma videochamada.", "Participar", "Agora não",
    "Desligar", "Câmara", "Microfone", "A aguardar que o agente inicie a videochamada…",
];

/// Japanese.
pub const JA: Table = [
    "チャットで質問", "チャットを開く", "チャットウィンドウ", "チャットを最小化", "チャットを閉じる",
    "新しいウィンドウで開く", "メッセージ", "メッセージを入力", "送信", "ファイルを添付", "チャットを終了",
    "新しいチャットを開始", "こんにちは。ご用件をお聞かせください。", "担当者に接続しています…",
    "順番待ち: {position} 番目です。", "予想待ち時間: 約 {minutes} 分", "{name} とチャット中です。",
    "担当者が入力中です…", "送信中…", "送信済み", "未送信", "ファイルをアップロード中", "あなた", "担当者",
    "チャットは終了しました。", "チャットはいかがでしたか?", "良い", "悪い", "コメント (任意)",
    "評価を送信", "ご評価ありがとうございます。", "開始する前に", "チャットを開始", "メッセージを残す",
    "メッセージを送信", "ありがとうございます。後ほどご連絡いたします。", "(必須)", "選択してください…",
    "お名前", "メールアドレス", "部署", "メッセージ", "電話番号", "{field}は必須です。",
    "有効なメールアドレスを入力してください (例: name@example.jp)。",
    "有効な電話番号を入力してください (例: +81 3 1234 5678)。", "{field}が長すぎます (最大 {max} 文字)。",
    "{field}の選択肢から選んでください。", "下記の項目を修正してください。",
    "このチャットではファイルを添付できません。",
    "「{file}」は送信できません: {type} のファイルは受け付けていません。使用できるもの: {allowed}",
    "「{file}」は送信できません: サイズ {size} が上限 {max} を超えています。", "すべてのファイル",
    "メッセージが長すぎます (最大 {max} 文字)。", "ファイルをドロップして添付",
    "ファイルを利用できません", "未読メッセージ：{count} 件",
    "ビデオ通話", "担当者からビデオ通話に招待されました。", "参加", "今はしない",
    "通話を終了", "カメラ", "マイク", "担当者がビデオ通話を開始するのを待っています…",
];

/// Simplified Chinese.
pub const ZH_CN: Table = [
    "在线咨询", "打开聊天", "聊天窗口", "最小化聊天", "关闭聊天", "在新窗口中打开", "消息", "输入消息",
    "发送", "添加附件", "结束聊天", "开始新的聊天", "您好!请问有什么可以帮您?", "正在为您连接客服…",
    "您在队列中排第 {position} 位。", "预计等待:约 {minutes} 分钟。", "您正在与 {name} 聊天。",
    "客服正在输入…", "正在发送…", "已发送", "未发送", "正在上传文件", "您", "客服", "聊天已结束。",
    "您对本次聊天满意吗?", "满意", "不满意", "评论(可选)", "提交评价", "感谢您的评价!", "开始之前",
    "开始聊天", "给我们留言", "发送留言", "谢谢!我们会尽快回复您。", "(必填)", "请选择…", "姓名",
    "电子邮箱", "部门", "消息", "电话", "{field}为必填项。", "请输入有效的电子邮箱,例如 name@example.cn。",
    "请输入有效的电话号码,例如 +86 10 1234 5678。", "{field}过长(最多 {max} 个字符)。",
    "请为{field}选择一个选项。", "请更正下方标出的字段。", "本次聊天不接受附件。",
    "无法发送“{file}”:不接受 {type} 类型的文件。允许:{allowed}。",
    "无法发送“{file}”:文件大小为 {size},上限为 {max}。", "任何文件",
    "消息过长(最多 {max} 个字符)。", "拖放文件以添加附件",
    "文件不可用", "未读消息：{count} 条",
    "视频通话", "客服邀请您进行视频通话。", "加入", "暂不",
    "挂断", "摄像头", "麦克风", "正在等待客服开始视频通话…",
];

/// Arabic (right to left).
pub const AR: Table = [
    "تحدث معنا", "فتح المحادثة", "نافذة المحادثة", "تصغير المحادثة", "إغلاق المحادثة",
    "فتح في نافذة جديدة", "الرسائل", "اكتب رسالتك", "إرسال", "إرفاق ملف", "إنهاء المحادثة",
    "بدء محادثة جديدة", "مرحبًا! كيف يمكننا مساعدتك اليوم؟", "جارٍ توصيلك بأحد الموظفين…",
    "ترتيبك في قائمة الانتظار: {position}.", "مدة الانتظار المتوقعة: حوالي {minutes} دقيقة.",
    "أنت تتحدث مع {name}.", "الموظف يكتب…", "جارٍ الإرسال…", "تم الإرسال", "لم يتم الإرسال",
    "جارٍ رفع الملف", "أنت", "الموظف", "انتهت المحادثة.", "كيف كانت المحادثة؟", "جيدة", "سيئة",
    "تعليق (اختياري)", "إرسال التقييم", "شكرًا لتقييمك!", "قبل أن نبدأ", "بدء المحادثة", "اترك لنا رسالة",
    "إرسال الرسالة", "شكرًا! سنتواصل معك قريبًا.", "(مطلوب)", "اختر…", "الاسم", "البريد الإلكتروني",
    "القسم", "الرسالة", "الهاتف", "الحقل {field} مطلوب.",
    "أدخل بريدًا إلكترونيًا صالحًا، مثل name@example.com.", "أدخل رقم هاتف صالحًا، مثل ‎+966 11 123 4567.",
    "الحقل {field} طويل جدًا (الحد الأقصى {max} حرفًا).", "اختر أحد الخيارات المتاحة في {field}.",
    "يرجى تصحيح الحقول المحددة أدناه.", "لا تُقبل المرفقات في هذه المحادثة.",
    "لا يمكن إرسال «{file}»: ملفات {type} غير مقبولة. المسموح: {allowed}.",
    "لا يمكن إرسال «{file}»: حجمه {size} والحد الأقصى {max}.", "أي ملف",
    "رسالتك طويلة جدًا (الحد الأقصى {max} حرفًا).", "أفلت ملفًا لإرفاقه",
    "الملف غير متاح", "رسائل غير مقروءة: {count}",
    "مكالمة فيديو", "يدعوك الموظف إلى مكالمة فيديو.", "انضمام", "ليس الآن",
    "إنهاء المكالمة", "الكاميرا", "الميكروفون", "في انتظار أن يبدأ الموظف مكالمة الفيديو…",
];
