/**
 * What the words of a bounce say about its cause, as a sisimai reason: a
 * table of phrases (English, and the sentences of Exchange's user section in
 * Danish, Norwegian, Swedish and German), tried in order, the first hit wins.
 * The order follows sisimai's (../shared/reference/bounce-reasons.md §3.3):
 * specific causes first, so that "mailbox full" beats "user unknown" and a
 * block-list name beats the word "spam"; weak, generic words come last.
 * The code tables are in reason-codes.ts. Pure.
 */
import { requiredLiteral, topLevelAlternatives } from './pattern-literal.js';
import { PRECOMPUTED_LITERALS_JSON } from './reason-literals.js';
import type { Reason } from './reasons.js';

export interface ReasonPhrase {
  reason: Reason;
  /** Case-insensitive; matched against text with white space folded. */
  pattern: RegExp;
}

export const REASON_PHRASES: readonly ReasonPhrase[] = [
  // ---- a local delivery program's own error (sisimai reads these first)
  { reason: 'mailererror', pattern: /\b(?:procmail|maildrop):|command (?:died|failed) with (?:status|exit)/i },
  // ---- mailbox full / over quota
  {
    reason: 'mailboxfull',
    pattern:
      /(?:mail ?box|mail ?folder|inbox|mail ?drop)(?:es)? (?:is |was |are )?(?:currently |now |too )?full|mailbox.{0,40}\b(?:is full|full\b)|over ?quota|\bquota (?:exceeded|full|limit (?:exceeded|reached))|(?<!submission |sending |send |message |recipient |rate )quota exceeded|exceed(?:s|ed|ing)? (?:the |its |his |her |their |your |my )?(?:disk |storage |mailbox |mail |user |account |size )?quota|(?:disk|storage|mailbox|user|account|space)(?:'s)? quota|not enough (?:storage )?space (?:in|for) (?:the |this |your )?(?:mail ?box|account|user)|mailbox (?:size|storage) (?:limit|exceeded)|mail ?box (?:has )?(?:exceeded|reached) (?:its|the|his|her|their)|(?:mailbox|inbox) (?:is )?over (?:its |the )?(?:limit|size)|user has (?:too much|exceeded)|postboks(?:en)?\b.{0,60}\ber full|postkasse(?:n)?\b.{0,60}\ber fuld|(?:brevlåda|postlåda|inkorg)(?:n)?\b.{0,60}\sär full|postfach\b.{0,60}\b(?:ist voll|voll ist|überschritten)|speicher(?:platz|kontingent|grenze).{0,40}(?:überschritten|erreicht)/i,
  },
  // ---- message too large
  {
    reason: 'mesgtoobig',
    pattern:
      /(?:message|mail|e-?mail|attachment)s? (?:is |was |are )?too (?:big|large)|(?:message|mail) (?:file )?too big|(?:message|mail|data|attachment) (?:size|length) (?:exceeds|is over|limit|too)|size (?:limit|exceeds|exceeded|too)|exceeds? (?:the )?(?:fixed |maximum |max |allowed |message |size )+(?:message )?(?:size|length)|max(?:imum)? (?:allowed )?message size|message length exceeds|line limit exceeded|too (?:big|large) for (?:the |this |our )?(?:system|server|recipient|mailbox)|(?:nachricht|e-mail) ist zu groß|zu groß für|(?:meldingen|meddelelsen|beskeden|mailen) er for stor|(?:meddelandet|e-postmeddelandet) är för stort/i,
  },
  // ---- account disabled / suspended
  {
    reason: 'suspend',
    pattern:
      /(?:account|mailbox|mail ?box|user|recipient)(?: has been| is| was|'s)?(?: temporarily| permanently)? (?:disabled|suspended|inactive|deactivated|frozen|locked|blocked|expired|closed|discontinued)|(?:disabled|suspended|inactive|deactivated|closed|expired|locked) (?:account|mailbox|user|recipient|address)|account (?:is )?(?:not active|no longer active|on hold)|(?:konto|postfach|postkasse|postboks|brevlåda)(?:en|n|et)?\b.{0,60}\b(?:deaktiviert|gesperrt|deaktiveret|deaktivert|inaktiverad|avstängd|spærret|sperret)/i,
  },
  // ---- moved
  {
    reason: 'hasmoved',
    pattern:
      /(?:has|have) moved|mailbox (?:has )?moved|address (?:has been |was )?(?:replaced|changed) (?:by|to)|moved (?:permanently|to another)|no longer (?:on|at) (?:this|that) (?:server|address|domain)|new (?:e-?mail )?address is|(?:ist umgezogen|er flyttet|har flyttat|har flyttet)/i,
  },
  // ---- relaying refused until the client signs in: the fix is to authenticate
  { reason: 'securityerror', pattern: /relay(?: through this server)? without authentication|turn on smtp authentication/i },
  // ---- relaying denied
  {
    reason: 'norelaying',
    pattern:
      /relay(?:ing)? (?:access )?(?:is )?(?:denied|not (?:permitted|allowed|authori[sz]ed)|prohibited|refused|forbidden|rejected)|unable to relay|(?:not|never) (?:permitted|allowed|authori[sz]ed) to relay|(?:cannot|can't|will not|won't|do not|don't|does not|doesn't) relay|no relaying|relaying (?:mail )?(?:to .{0,60})?(?:is )?not (?:allowed|permitted)|not a gateway|relay not permitted|email address is not verified|insecure mail relay|as a relay\b|we don't handle mail for|not local host|list of allowed rcpthosts?|requires authentication when attempting to send to a non-local|(?:not|isn't) (?:configured|set up) to relay/i,
  },
  // ---- SPF / DKIM / DMARC
  {
    reason: 'authfailure',
    pattern:
      /\bspf\b.{0,40}(?:\bfail|hardfail|softfail|reject|not (?:pass|authori[sz]ed|permitted)|policy|check|violation|validation|error)|(?:fail(?:s|ed|ing|ure)?|did not pass|not pass)(?: the| an?)? (?:spf|dkim|dmarc)\b|\bdkim\b.{0,40}(?:\bfail|invalid|not (?:pass|valid|verified)|bad signature|signature (?:is )?(?:missing|required)|required)|\bdmarc\b.{0,40}(?:\bfail|policy|reject|quarantine|violation)|(?:must|should) (?:pass|have) (?:spf|dkim|dmarc)|sender policy framework|(?:bad|invalid|broken|no valid) (?:spf|dkim|dmarc)\b|does not have authentication information|(?:not|isn't) (?:an? )?(?:authori[sz]ed|permitted|designated) (?:sender|sending (?:host|ip|server))|unauthenticated (?:e-?mail|mail|message|sender)s?.{0,40}(?:spf|dkim|dmarc)|\b(?:spf|dkim|dmarc)\b.{0,60}(?:fejlede|mislykke|feilet|mislyktes|misslyck|fehlgeschlagen|nicht bestanden)/i,
  },
  // ---- no reverse DNS (PTR)
  {
    reason: 'requireptr',
    pattern:
      /\bptr\b|reverse (?:dns|lookup|hostname|host name|mapping|resolution|name)|\brdns\b|cannot find your (?:host ?name|reverse)|(?:client|ip|sender|host)(?: ip)? (?:address )?(?:has no|without|does not have|doesn't have|lacks) (?:a )?(?:valid )?(?:reverse|ptr|host ?name)|unresolvable (?:client|ip|host)|mismatches client ip|(?:ip|address) (?:name )?(?:lookup|resolution) (?:failed|failure)|omvendt dns|reverse-dns|umgekehrte dns/i,
  },
  // ---- a domain lookup that failed for now, not a missing domain
  { reason: 'networkerror', pattern: /host not found, try again|name service error .{0,80}try again/i },
  // ---- block lists of links in the message: the content, not the sender
  { reason: 'spamdetected', pattern: /(?:black|block)listed (?:url|link|uri|domain) in|\buribl\b|\bsurbl\b/i },
  // ---- block lists, the sending IP or host refused
  {
    reason: 'blocked',
    pattern:
      /block ?list|black ?list|blocklisted|blacklisted|deny ?list|\bdnsbl\b|\brbl\b|spamhaus|barracuda|spamcop|\bsorbs\b|invaluement|psbl|mailspike|(?:listed|found) (?:in|at|on|by) (?:the )?(?:[\w.-]{1,60} )?(?:list|dnsbl|rbl|zen|bl\b)|(?:ip|client|client host|sending host|your host|network|helo)(?: address| name)? (?:\[[^\]]{1,60}\] |[\d.:]{7,45} )?(?:is |has been |was |are )?(?:currently |temporarily |permanently )?(?:blocked|banned|blacklisted|refused|not allowed|not permitted|denied)|client host .{0,80}(?:rejected|blocked|refused|denied)|(?:rejected|blocked|refused) (?:because|due to) .{0,40}\b(?:ip|host|network|reputation)\b|banned sending ip|(?:traffic|connections?|mail) not accepted from (?:this|your|the) (?:ip|host|network|server)|not accepting (?:mail|connections?|messages) from (?:your|this|the) (?:ip|host|network|server)|(?:part of )?(?:your|their|the sender's) network is on our block|\bs3150\b|helo (?:command )?(?:rejected|refused|invalid|not accepted)|bad helo|refused to talk to me|use the smtp server of your isp|(?:dynamic|dial-?up|residential) (?:ip|address|pool|range|host)|\b(?:SC|DY|OU)-00\d\b|(?:ip-adresse|ip-adressen|ip-adress|ip-adressen)\b.{0,100}\b(?:gesperrt|blockiert|blokkert|blokeret|blockerad|spærret|sperret|spärrad|inte tar emot|ikke tar imot|ikke modtager|nicht angenommen|sperrliste|svarteliste|sortliste|svartlista)|sperrliste|blokkeringsliste|blokeringsliste|spärrlista/i,
  },
  // ---- reputation
  {
    reason: 'badreputation',
    pattern:
      /(?:poor|low|bad|insufficient) (?:ip |domain |sender |sending |)reputation|reputation (?:score|of the (?:sending|sender)|is (?:too )?low)|senderscore|sender score|(?:dårligt|dårlig|dåligt) rykte|schlechte(?:n|r)? ruf/i,
  },
  // ---- the recipient's side refuses this sender (allow lists, group restrictions)
  {
    reason: 'filtered',
    pattern:
      /(?:user|recipient) (?:refuses|does not want|doesn't want|has (?:chosen|opted) not) to (?:receive|accept)|rejected (?:by|due to) (?:the )?(?:user|recipient|addressee)(?:'s)? (?:rules?|filters?|settings|request)|(?:only )?accepts? (?:e-?mail|mail|messages) (?:only )?from (?:specific|certain|approved|authori[sz]ed|internal|its own|members|senders)|(?:only )?(?:receives?|accepts?) (?:e-?mail|mail|messages) from (?:specific|certain|approved|authori[sz]ed)|(?:sender|you) (?:is |are )?not (?:on|in) (?:the )?(?:recipient's |group's )?(?:allow|white|safe|accept(?:ed)?) ?(?:ed )?(?:senders )?list|(?:don't|do not|doesn't|does not) have permission to send|not (?:allowed|authori[sz]ed|permitted) to send (?:e-?mail |mail |messages )?to (?:this|the|that) (?:recipient|group|list|address|mailbox|distribution)|delivery restriction|recipient(?:'s)? preferences|sender (?:is )?(?:blocked|rejected|refused) by (?:the )?recipient|recipient (?:has )?(?:blocked|rejected) (?:you|the sender|your)|kun (?:modtager|tager imod|accepterer) (?:mail|meddelelser|e-mails?|beskeder) fra|(?:tar|mottar) (?:bare|kun) (?:imot )?(?:e-post|meldinger) fra|(?:tar|tar emot) (?:bara|endast) (?:emot )?(?:e-post|meddelanden) från|nur (?:nachrichten|e-mails?) von|tilladelse til at sende|tillatelse til å sende|behörighet att skicka|berechtigung.{0,40}senden/i,
  },
  // ---- the domain takes no mail (null MX): before "domain not found", whose words a null-MX notice may also carry
  {
    reason: 'notaccept',
    pattern:
      /(?:does not|doesn't|do not) accept (?:any )?(?:e-?)?mail\b(?! from)|accepts no (?:e-?)?mail|null ?mx|no mx (?:record|host)s?|no mx found|(?:doesn't|does not) receive e-?mail|mail receiving (?:is )?disabled|not accepting (?:any )?(?:e-?)?mail(?! from)/i,
  },
  // ---- domain not found
  {
    reason: 'hostunknown',
    pattern:
      /host (?:or domain )?(?:name )?(?:not found|unknown)|host [\w.-]{1,100} not found|unrouteable address|unknown (?:host|domain)|(?:no such|invalid|non-?existent|nonexisting|unrouteable|unroutable|bad) (?:domain|host)|domain (?:name )?(?:not found|does not exist|doesn't exist|unknown|not exist|is not valid|not resolvable|could not be found|is invalid|cannot be resolved)|domain .{0,60}(?:does not exist|doesn't exist|not found|could not be found|no such domain)|name (?:or service )?not known|nxdomain|(?:domäne|domain|domæne|domene|domän|domänen|domænet|domenet)\b.{0,60}(?:nicht vorhanden|existiert nicht|nicht gefunden|ikke fundet|findes ikke|finnes ikke|ble ikke funnet|finns inte|kunde inte hittas|hittades inte|eksisterer ikke|existerar inte)/i,
  },
  // ---- user unknown
  {
    reason: 'userunknown',
    pattern:
      /user (?:is )?unknown|recipient address rejected: access denied|invalid .{0,20}userid|unknown (?:user|recipient|mailbox|address|local ?part|alias|e-?mail)|no such (?:user|mailbox|recipient|address|account|local user|person|e-?mail)|(?:user|mailbox|address|recipient|account|e-?mail address|local part|addressee)(?: name)? (?:does not|doesn't|did not|not) exists?|(?:invalid|non-?existent|nonexisting|bad|unrecogni[sz]ed|undeliverable) (?:recipient|mailbox|address|user|local ?part|e-?mail address|account)|(?:mailbox|user|recipient|address|account|addressee)(?: address)? (?:not found|unknown|not (?:known|listed|valid|recogni[sz]ed))|(?:is|was) not (?:a )?(?:valid|known) (?:user|mailbox|recipient|address)|no (?:mailbox|account|user) (?:here|found|by that name|with that name)|user not found|addressee unknown|doesn't have an? .{0,40} account|(?:recipient|user)(?: address)? (?:was )?not found|no longer (?:exists|valid|available)|(?:e-?mail-?adresse|adresse|empfänger|postfach|mottakeren|modtageren|mottagaren|postboks|postkasse|brevlåda|e-postadress(?:en)?|mailadresse(?:n)?)\b.{0,80}(?:konnte nicht gefunden werden|nicht gefunden|existiert nicht|ist unbekannt|unbekannt|ble ikke funnet|finnes ikke|blev ikke fundet|findes ikke|kunde inte hittas|hittades inte|finns inte|eksisterer ikke)|(?:finnes|findes|finns) ingen (?:postboks|postkasse|brevlåda|mottaker|modtager|mottagare)|ukjent (?:mottaker|bruker)|ukendt (?:modtager|bruger)|okänd (?:mottagare|användare)|unbekannte(?:r)? (?:empfänger|benutzer)/i,
  },
  // ---- message format against the standards
  {
    reason: 'notcompliantrfc',
    pattern:
      /rfc ?(?:5322|2822|822|5321|2821)\b.{0,40}(?:complian|violat|section|invalid|requir)|not (?:rfc|standards?)[ -]?compliant|multiple addresses in (?:the )?from|(?:multiple|duplicate|more than one) (?:from|to|subject|date|message-id|sender) (?:headers?|fields?)|(?:missing|invalid|malformed|no) (?:message-id|date|from) (?:header|field)/i,
  },
  // ---- virus, malware
  {
    reason: 'virusdetected',
    pattern:
      /\bvirus|malware|infected|trojan|\bworm\b|ransomware|(?:potentially )?(?:executable|unsafe|dangerous|malicious) (?:attachment|content|file|code)|malicious|schadsoftware|skadelig (?:software|kode|indhold|innhold)|skadlig (?:programvara|kod|kod|innehåll)/i,
  },
  // ---- spam, content filter
  {
    reason: 'spamdetected',
    pattern:
      /\bspam\b|\bu[bc]e\b|junk ?(?:e-?)?mail|unsolicited|content ?filter|spam ?assassin|spam ?score|(?:scored|rated) (?:as )?(?:too high|high|spam)|(?:likely|suspected|probable) (?:spam|bulk|phish)|phish|(?:looks|appears|seems) (?:like|to be) (?:spam|unsolicited|bulk)|(?:classified|identified|detected|judged|considered|flagged|marked) as (?:spam|junk|bulk|suspicious)|bulk (?:e-?mail|mail) (?:rejected|not accepted)|suspicious (?:content|message)|søppelpost|skräppost|uønsket (?:e-?post|post|mail)|oönskad e-post/i,
  },
  // ---- message format or content refused
  {
    reason: 'contenterror',
    pattern:
      /8-?bit (?:data|characters?|chars)|(?:invalid|malformed|broken|bad|illegal) (?:mime|message|header|headers|encoding|characters?|content-type|structure)|mime (?:error|syntax|structure)|too many (?:received )?headers|header (?:line )?too long|line too long|bare (?:lf|line ?feeds?)|message (?:body|content) (?:rejected|not accepted|refused)|duplicate header/i,
  },
  // ---- refused for the receiver's policy, said in so many words
  {
    reason: 'policyviolation',
    pattern:
      /(?:for|due to|because of) (?:local |site |security |content )?policy reasons|\bheader error|headers? are not accepted|protocol violation|denied by policy|rejected due to security policies|due to organi[sz]ational settings|message given low priority/i,
  },
  // ---- the sender address or its domain refused
  {
    reason: 'rejected',
    pattern:
      /purported responsible address|'?send mail as'? .{0,40}(?:misconfigured|out of date|not verified)|(?:not have|don't have|do not have) permission to post|sender (?:address |domain |e-?mail )?(?:is |was |has been )?(?:rejected|refused|denied|invalid|unknown|not (?:allowed|accepted|verified|permitted)|blocked|banned|blacklisted)|(?:bad|invalid|unknown|unverified|unverifiable|forged|bogus|non-?existent) (?:sender|envelope sender|return.?path|mail from)|domain of sender(?: address)?|sender (?:domain )?(?:must|does not|doesn't|did not) (?:exist|resolve)|sender (?:verify|verification) (?:failed|failure)|(?:address|domain) (?:of|in) (?:the )?(?:sender|mail from|from address) .{0,40}(?:invalid|not (?:exist|found|resolv))|mail from .{0,60}(?:rejected|refused|denied)|(?:from|sender) address (?:is )?not (?:valid|owned|allowed|permitted)|(?:banned|blocked) sender|sender (?:is )?on .{0,20}(?:block|black|deny) ?list|(?:afsenderadresse|avsenderadresse|avsändaradress|absenderadresse)(?:n)?\b.{0,60}(?:afvist|avvist|avvisad|abgelehnt|ugyldig|ogiltig|ungültig)/i,
  },
  // ---- a policy of the receiving organisation
  {
    reason: 'policyviolation',
    pattern:
      /(?:its|the) content presents a potential|(?:local|site|security|content|company|corporate|organi[sz]ation(?:al)?|mail ?flow|transport|e-?mail) (?:policy|policies|rule)|polic(?:y|ies) (?:violation|reasons|restrictions?|rejection)|violat(?:es|ed|ion of|ing) (?:our |the |a |local )?(?:polic|terms|rules)|(?:denied|rejected|refused|blocked) (?:by|due to|because of) (?:local |our |the |site )?polic|prohibited by (?:policy|(?:the )?administrator)|(?:attachment|file)(?:s)? (?:type|extension|name)s? .{0,40}(?:not allowed|blocked|prohibited|forbidden|rejected|not permitted)|(?:blocked|prohibited|forbidden|disallowed|banned) (?:attachment|file) ?(?:type|extension)?|(?:not a|non-?) ?member|members only|members-only|closed (?:list|group)|(?:regel|regler|richtlinie|politik|policy) .{0,40}(?:afvist|avvist|avvisad|abgelehnt|blokeret|blokkert|blockerad|blockiert)/i,
  },
  // ---- volume: too many recipients, connections or messages
  {
    reason: 'toomanyconn',
    pattern:
      /too many (?:recipients|rcpts?|connections|sessions|concurrent|simultaneous|messages|mails|invalid recipients|errors)|(?:recipient|connection|session|rcpt|message) (?:count |number )?(?:limit|quota|maximum) (?:exceeded|reached|hit)|max(?:imum)? (?:number of )?(?:recipients|connections|rcpts?)(?: per)? .{0,30}(?:exceeded|reached)|exceeded .{0,40}(?:recipient|connection|message|sending|daily) (?:limit|quota|rate)|(?:sending|submission|message|daily|hourly|outbound|recipient) (?:quota|limit)s? (?:has been |was |is )?(?:exceeded|reached)|daily (?:sending |message |recipient )?(?:limit|quota)|frequency limit|for mange modtagere|for mange mottakere|för många mottagare|zu viele empfänger/i,
  },
  // ---- speed: rate limits, greylisting
  {
    reason: 'speeding',
    pattern:
      /rate (?:limit|limited|limiting|exceeded|control)|(?:too|very) (?:fast|quickly|frequently|many messages in)|try again (?:slower|later at a lower)|slow down|throttl|grey ?list|gray ?list|greylisted|graylisted|temporarily (?:deferred|rate)|receiving (?:mail|messages) (?:at a rate|too fast)|sending (?:rate|volume)/i,
  },
  // ---- TLS required or failed
  {
    reason: 'failedstarttls',
    pattern:
      /starttls|\btls\b.{0,40}(?:required|failed|failure|not (?:available|supported|offered|enabled)|negotiation|handshake|mandatory|is needed)|(?:must|requires?|required to) (?:use )?(?:a )?(?:tls|encryption|encrypted|secure) (?:connection|channel|transport)?|encryption (?:is )?(?:required|needed|mandatory)|certificate (?:verification|validation|check) (?:failed|error)|(?:untrusted|expired|invalid|self-?signed|revoked) certificate|\bdane\b|mta-sts|requiretls|ssl (?:handshake|error|required)|kryptering.{0,40}(?:kræves|kreves|krävs|påkrævet|påkrevd)|verschlüsselung.{0,40}erforderlich/i,
  },
  // ---- gave up after retrying
  {
    reason: 'expired',
    pattern:
      /(?:delivery|retry|queue|message|time) (?:time |period |lifetime )?(?:has )?(?:expired|exceeded)|(?:message )?expired (?:after|in queue|while)|(?:giving|gave|given) up|could not be delivered within|(?:has been|was|sat|sitting) (?:in|on) (?:the )?queue (?:for|too long)|too long in (?:the )?queue|undeliverable for (?:\d{1,3}|several|too)|retry (?:timeout|time limit)|connection timed? ?out|timed? ?out (?:while|waiting|after|during|connecting)|no answer from|not (?:yet )?been delivered|(?:has been|was|is being) delayed|delivery (?:is |has been )?delayed|will (?:continue to )?(?:retry|try again)|will be retried|failed \d{1,3} attempts|could not find a gateway for|server did not respond|have been failing for a long time|not reachable within the allowed queue period|not been collected after|udløbet|utløpt|har gått ut|abgelaufen|(?:er|ble|blev) forsinket|är försenad|har fördröjts|wird verzögert|wurde verzögert/i,
  },
  // ---- network, DNS, routing, loops
  {
    reason: 'networkerror',
    pattern:
      /host ?name lookup fail|(?:dns|name|mx|host) (?:lookup|resolution|query|server)s? (?:failed|failure|error|timed out|timeout)|temporary (?:dns|lookup|name) (?:failure|error)|no route to host|(?:network|host) (?:is )?unreachable|mail (?:routing )?loop|routing loop|loop detected|too many hops|hop count (?:exceeded|too)|malformed (?:or unexpected )?name server reply|servfail|connection (?:refused|reset|closed|lost|dropped|failed)|lost connection|(?:broken|bad) connection|could not connect|unable to connect|cannot connect|network error/i,
  },
  // ---- the receiving system out of space
  {
    reason: 'systemfull',
    pattern:
      /(?:mail )?system (?:is )?(?:full|out of)|insufficient system (?:storage|resources)|out of (?:disk ?)?(?:space|memory|storage)|(?:disk|file ?system|storage|spool) (?:is )?full|no space left|exceeded storage allocation|insufficient (?:disk )?space/i,
  },
  // ---- a local delivery program failed
  {
    reason: 'mailererror',
    pattern:
      /\bmailer error|command (?:died|failed|returned|exited) with|procmail|maildrop|mail\.local|local delivery (?:program|agent) fail|\bx-unix\b|pipe to \|/i,
  },
  // ---- the SMTP conversation broken
  {
    reason: 'syntaxerror',
    pattern:
      /syntax error|command (?:not recogni[sz]ed|unrecogni[sz]ed|not implemented)|unrecogni[sz]ed command|bad sequence of commands|improper sequence|malformed address|(?:need|expecting|send) (?:rcpt|mail|helo|ehlo|hello) (?:command )?first|invalid (?:smtp )?command/i,
  },
  // ---- authentication and other security requirements (weak)
  {
    reason: 'securityerror',
    pattern:
      /authentication (?:is )?(?:required|failed|failure|error|unsuccessful)|(?:un|not )authenticated|must (?:be )?authenticat|(?:invalid|bad|wrong) credentials|(?:login|logon|sign-?in) (?:failed|required|denied)|access denied|permission denied|not authori[sz]ed|unauthori[sz]ed|security (?:reason|problem|policy)|sikkerhedsproblem|sikkerhetsproblem|säkerhetsproblem|sicherheitsproblem/i,
  },
  // ---- faults of the receiving system (weak)
  {
    reason: 'systemerror',
    pattern:
      /(?:local )?configuration (?:error|problem)|internal (?:server |system )?error|(?:server|system|mail system) error|loops? back to (?:myself|me)|temporary (?:local )?(?:problem|error)|queue file write error|i\/o error|aliasing\/forwarding loop|can't create user output file|internal error reading data|interrupted system call|encountered an error while being processed|(?:mail|system|server) (?:config|configuration) error|remote server is misconfigured|timeout waiting for input|transaction failed|local error in processing|(?:service|server) (?:is )?(?:currently |temporarily )?(?:unavailable|not available|busy)/i,
  },
  // ---- the weakest words: a rejected recipient, a request to come back later
  {
    reason: 'userunknown',
    pattern:
      /recipient(?: address)? (?:rejected|refused|denied|invalid)|invalid recipient|address rejected|mailbox unavailable|mailbox (?:is )?not available/i,
  },
  {
    reason: 'speeding',
    pattern:
      /try (?:again )?later|please retry|retry later|prøv (?:igen|å sende .{0,40}på nytt|på nytt) senere|försök igen senare|versuchen sie es später/i,
  },
];

export interface WordsReason {
  reason: Reason;
  /** The words that told. */
  matched: string;
}

/** Reply codes inside the text: the continuation lines of a multi-line reply ("550-5.7.1 ... 550 relay ..."). */
const INNER_REPLY = / [245]\d\d[ -](?:#?[245]\.\d{1,3}\.\d{1,3}[ -])?/g;

interface Alternative {
  reason: Reason;
  source: string;
  flags: string;
  /** Compiled when first needed. */
  re: RegExp | null;
  /** Lower-cased literals, one of which every match contains, or null when there are none to test (pattern-literal.ts). */
  literals: string[] | null;
}

/**
 * The table cut into its rows' alternatives, each with its required literal:
 * a text is tried only against the alternatives whose literal it contains, so
 * that most regular expressions are never run, and never compiled (compiling
 * the whole table took longer than the rest of an `ndr explain` run).
 */
const alternatives = new WeakMap<readonly ReasonPhrase[], Alternative[]>();

/** One row of the precomputed table: the key of the row's source, and its alternatives with their literals. */
type PrecomputedRow = [key: string, alternatives: [source: string, literals: string[] | null][]];

function alternativesOf(table: readonly ReasonPhrase[]): Alternative[] {
  let list = alternatives.get(table);
  if (!list) {
    // The build's rows are REASON_PHRASES' in order; a row is used where its source is still the row's.
    const rows: PrecomputedRow[] =
      table === REASON_PHRASES && PRECOMPUTED_LITERALS_JSON ? (JSON.parse(PRECOMPUTED_LITERALS_JSON) as PrecomputedRow[]) : [];
    list = table.flatMap(({ reason, pattern }, i) => {
      const row = rows[i];
      const alts = row && row[0] === sourceKey(pattern.source) ? row[1] : rowAlternatives(pattern.source);
      return alts.map(([source, literals]): Alternative => ({ reason, source, flags: pattern.flags, re: null, literals }));
    });
    alternatives.set(table, list);
  }
  return list;
}

/** A row's alternatives, each with its literals. */
function rowAlternatives(source: string): PrecomputedRow[1] {
  return topLevelAlternatives(source).map((a) => [a, literalsOf(a)]);
}

/** Each alternative of the table (its source) with its literals. */
export function phraseLiterals(table: readonly ReasonPhrase[] = REASON_PHRASES): [string, string[] | null][] {
  return alternativesOf(table).map((a) => [a.source, a.literals]);
}

/** Each row of the table with its alternatives and their literals: what the build writes into reason-literals.js. */
export function phraseRows(table: readonly ReasonPhrase[] = REASON_PHRASES): PrecomputedRow[] {
  return table.map(({ pattern }) => [sourceKey(pattern.source), rowAlternatives(pattern.source)]);
}

/**
 * A row's source as the precomputed table keys it: with \uXXXX escapes
 * written as their characters. The bundle writes every character outside
 * ASCII as such an escape (scripts/bundle.mjs), also in regular expressions,
 * whose source then differs from the one the build computed the table from;
 * the key is the same either way.
 */
function sourceKey(source: string): string {
  return source.includes('\\u')
    ? source.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : source;
}

/**
 * The literals of an alternative: its own required literal, else, when it
 * starts with a group of alternatives ("(?:bad|invalid) spf"), one literal for
 * each of them.
 */
function literalsOf(source: string): string[] | null {
  const own = requiredLiteral(source);
  if (own !== null) return [own];
  const start = source.startsWith('\\b(?:') ? 2 : 0;
  if (!source.startsWith('(?:', start)) return null;
  const close = groupEnd(source.slice(start));
  if (close < 0) return null;
  // A short plain word ("ip", "no") is still a literal worth testing here.
  const each = topLevelAlternatives(source.slice(start + 3, start + close)).map(
    (a) => requiredLiteral(a) ?? (PLAIN_WORD.test(a) ? a.toLowerCase() : null),
  );
  return each.every((l) => l !== null) ? (each as string[]) : null;
}

const PLAIN_WORD = /^[a-z0-9]{2,}$/i;

/** Index of the ")" that closes the group opening `source`, or -1. */
function groupEnd(source: string): number {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * All literals of a table in one regular expression, which finds every literal
 * a text holds in one pass: at each position the longest literal that starts
 * there, and with it (`within`) the shorter literals inside it.
 */
interface LiteralGate {
  re: RegExp;
  literals: string[];
  within: Map<string, string[]>;
  /** The alternatives (by index) that hold each literal, and those with none, always tried. */
  byLiteral: Map<string, number[]>;
  always: number[];
}

/** Texts read with a table before its gate is built: compiling the gate (~14 ms) pays only in a batch. */
const GATE_AFTER = 64;
const gates = new WeakMap<readonly Alternative[], { calls: number; gate: LiteralGate | null }>();

/**
 * The alternatives whose literals `lower` holds (and those without literals), in
 * table order: one includes() per literal for the first texts, then one pass of
 * the gate and a look-up of the alternatives of each literal found.
 */
function candidates(list: readonly Alternative[], lower: string): readonly Alternative[] {
  let state = gates.get(list);
  if (!state) gates.set(list, (state = { calls: 0, gate: null }));
  if (!state.gate && ++state.calls <= GATE_AFTER)
    return list.filter((a) => a.literals === null || a.literals.some((l) => lower.includes(l)));
  state.gate ??= literalGate(list);
  const gate = state.gate;
  const picked: number[] = [...gate.always];
  for (const l of literalsIn(lower, gate)) for (const i of gate.byLiteral.get(l) ?? []) picked.push(i);
  // Table order, each alternative once (an alternative with several literals may be picked twice).
  picked.sort((a, b) => a - b);
  const out: Alternative[] = [];
  for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) out.push(list[picked[k]!]!);
  return out;
}

export function literalGate(list: readonly Alternative[]): LiteralGate {
  const literals = [...new Set(list.flatMap((a) => a.literals ?? []))].sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?=(${literals.map(escapeLiteral).join('|')}))`, 'g');
  const byLiteral = new Map<string, number[]>();
  const always: number[] = [];
  list.forEach((a, i) => {
    if (a.literals === null) always.push(i);
    else for (const l of a.literals) byLiteral.set(l, [...(byLiteral.get(l) ?? []), i]);
  });
  return { re, literals, within: new Map(), byLiteral, always };
}

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function literalsIn(lower: string, gate: LiteralGate): Set<string> {
  const found = new Set<string>();
  gate.re.lastIndex = 0;
  for (let m = gate.re.exec(lower); m; m = gate.re.exec(lower)) {
    const longest = m[1]!;
    let inside = gate.within.get(longest);
    if (!inside) gate.within.set(longest, (inside = gate.literals.filter((l) => longest.includes(l))));
    for (const l of inside) found.add(l);
    gate.re.lastIndex = m.index + 1;
  }
  return found;
}

/** The reason the words name, or null when they name none: the first row (in table order) with a match. Pure. */
export function reasonFromWords(text: string, table: readonly ReasonPhrase[] = REASON_PHRASES): WordsReason | null {
  if (!text) return null;
  const words = text.replace(INNER_REPLY, ' ');
  const lower = words.toLowerCase();
  for (const alt of candidates(alternativesOf(table), lower)) {
    const m = (alt.re ??= new RegExp(alt.source, alt.flags)).exec(words);
    if (m) return { reason: alt.reason, matched: m[0] };
  }
  return null;
}
