var e=globalThis,t=e.ShadowRoot&&(e.ShadyCSS===void 0||e.ShadyCSS.nativeShadow)&&`adoptedStyleSheets`in Document.prototype&&`replace`in CSSStyleSheet.prototype,n=Symbol(),r=new WeakMap,i=class{constructor(e,t,r){if(this._$cssResult$=!0,r!==n)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,n=this.t;if(t&&e===void 0){let t=n!==void 0&&n.length===1;t&&(e=r.get(n)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),t&&r.set(n,e))}return e}toString(){return this.cssText}},a=e=>new i(typeof e==`string`?e:e+``,void 0,n),o=(e,...t)=>new i(e.length===1?e[0]:t.reduce((t,n,r)=>t+(e=>{if(!0===e._$cssResult$)return e.cssText;if(typeof e==`number`)return e;throw Error(`Value passed to 'css' function must be a 'css' function result: `+e+`. Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.`)})(n)+e[r+1],e[0]),e,n),s=(n,r)=>{if(t)n.adoptedStyleSheets=r.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let t of r){let r=document.createElement(`style`),i=e.litNonce;i!==void 0&&r.setAttribute(`nonce`,i),r.textContent=t.cssText,n.appendChild(r)}},c=t?e=>e:e=>e instanceof CSSStyleSheet?(e=>{let t=``;for(let n of e.cssRules)t+=n.cssText;return a(t)})(e):e,{is:l,defineProperty:u,getOwnPropertyDescriptor:d,getOwnPropertyNames:ee,getOwnPropertySymbols:te,getPrototypeOf:ne}=Object,f=globalThis,re=f.trustedTypes,ie=re?re.emptyScript:``,ae=f.reactiveElementPolyfillSupport,p=(e,t)=>e,m={toAttribute(e,t){switch(t){case Boolean:e=e?ie:null;break;case Object:case Array:e=e==null?e:JSON.stringify(e)}return e},fromAttribute(e,t){let n=e;switch(t){case Boolean:n=e!==null;break;case Number:n=e===null?null:Number(e);break;case Object:case Array:try{n=JSON.parse(e)}catch{n=null}}return n}},h=(e,t)=>!l(e,t),g={attribute:!0,type:String,converter:m,reflect:!1,useDefault:!1,hasChanged:h};Symbol.metadata??=Symbol(`metadata`),f.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=g){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let n=Symbol(),r=this.getPropertyDescriptor(e,n,t);r!==void 0&&u(this.prototype,e,r)}}static getPropertyDescriptor(e,t,n){let{get:r,set:i}=d(this.prototype,e)??{get(){return this[t]},set(e){this[t]=e}};return{get:r,set(t){let a=r?.call(this);i?.call(this,t),this.requestUpdate(e,a,n)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??g}static _$Ei(){if(this.hasOwnProperty(p(`elementProperties`)))return;let e=ne(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(p(`finalized`)))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(p(`properties`))){let e=this.properties,t=[...ee(e),...te(e)];for(let n of t)this.createProperty(n,e[n])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[e,n]of t)this.elementProperties.set(e,n)}this._$Eh=new Map;for(let[e,t]of this.elementProperties){let n=this._$Eu(e,t);n!==void 0&&this._$Eh.set(n,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let n=new Set(e.flat(1/0).reverse());for(let e of n)t.unshift(c(e))}else e!==void 0&&t.push(c(e));return t}static _$Eu(e,t){let n=t.attribute;return!1===n?void 0:typeof n==`string`?n:typeof e==`string`?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let n of t.keys())this.hasOwnProperty(n)&&(e.set(n,this[n]),delete this[n]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return s(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,n){this._$AK(e,n)}_$ET(e,t){let n=this.constructor.elementProperties.get(e),r=this.constructor._$Eu(e,n);if(r!==void 0&&!0===n.reflect){let i=(n.converter?.toAttribute===void 0?m:n.converter).toAttribute(t,n.type);this._$Em=e,i==null?this.removeAttribute(r):this.setAttribute(r,i),this._$Em=null}}_$AK(e,t){let n=this.constructor,r=n._$Eh.get(e);if(r!==void 0&&this._$Em!==r){let e=n.getPropertyOptions(r),i=typeof e.converter==`function`?{fromAttribute:e.converter}:e.converter?.fromAttribute===void 0?m:e.converter;this._$Em=r;let a=i.fromAttribute(t,e.type);this[r]=a??this._$Ej?.get(r)??a,this._$Em=null}}requestUpdate(e,t,n,r=!1,i){if(e!==void 0){let a=this.constructor;if(!1===r&&(i=this[e]),n??=a.getPropertyOptions(e),!((n.hasChanged??h)(i,t)||n.useDefault&&n.reflect&&i===this._$Ej?.get(e)&&!this.hasAttribute(a._$Eu(e,n))))return;this.C(e,t,n)}!1===this.isUpdatePending&&(this._$ES=this._$EP())}C(e,t,{useDefault:n,reflect:r,wrapped:i},a){n&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,a??t??this[e]),!0!==i||a!==void 0)||(this._$AL.has(e)||(this.hasUpdated||n||(t=void 0),this._$AL.set(e,t)),!0===r&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[e,t]of this._$Ep)this[e]=t;this._$Ep=void 0}let e=this.constructor.elementProperties;if(e.size>0)for(let[t,n]of e){let{wrapped:e}=n,r=this[t];!0!==e||this._$AL.has(t)||r===void 0||this.C(t,void 0,n,r)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(e=>e.hostUpdate?.()),this.update(t)):this._$EM()}catch(t){throw e=!1,this._$EM(),t}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(e){}firstUpdated(e){}};_.elementStyles=[],_.shadowRootOptions={mode:`open`},_[p(`elementProperties`)]=new Map,_[p(`finalized`)]=new Map,ae?.({ReactiveElement:_}),(f.reactiveElementVersions??=[]).push(`2.1.2`);var v=globalThis,y=e=>e,b=v.trustedTypes,x=b?b.createPolicy(`lit-html`,{createHTML:e=>e}):void 0,S=`$lit$`,C=`lit$${Math.random().toFixed(9).slice(2)}$`,w=`?`+C,oe=`<${w}>`,T=document,E=()=>T.createComment(``),D=e=>e===null||typeof e!=`object`&&typeof e!=`function`,O=Array.isArray,se=e=>O(e)||typeof e?.[Symbol.iterator]==`function`,k=`[ 	
\f\r]`,A=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,j=/-->/g,M=/>/g,N=RegExp(`>|${k}(?:([^\\s"'>=/]+)(${k}*=${k}*(?:[^ \t\n\f\r"'\`<>=]|("|')|))|$)`,`g`),P=/'/g,F=/"/g,I=/^(?:script|style|textarea|title)$/i,L=(e=>(t,...n)=>({_$litType$:e,strings:t,values:n}))(1),R=Symbol.for(`lit-noChange`),z=Symbol.for(`lit-nothing`),B=new WeakMap,V=T.createTreeWalker(T,129);function H(e,t){if(!O(e)||!e.hasOwnProperty(`raw`))throw Error(`invalid template strings array`);return x===void 0?t:x.createHTML(t)}var ce=(e,t)=>{let n=e.length-1,r=[],i,a=t===2?`<svg>`:t===3?`<math>`:``,o=A;for(let t=0;t<n;t++){let n=e[t],s,c,l=-1,u=0;for(;u<n.length&&(o.lastIndex=u,c=o.exec(n),c!==null);)u=o.lastIndex,o===A?c[1]===`!--`?o=j:c[1]===void 0?c[2]===void 0?c[3]!==void 0&&(o=N):(I.test(c[2])&&(i=RegExp(`</`+c[2],`g`)),o=N):o=M:o===N?c[0]===`>`?(o=i??A,l=-1):c[1]===void 0?l=-2:(l=o.lastIndex-c[2].length,s=c[1],o=c[3]===void 0?N:c[3]===`"`?F:P):o===F||o===P?o=N:o===j||o===M?o=A:(o=N,i=void 0);let d=o===N&&e[t+1].startsWith(`/>`)?` `:``;a+=o===A?n+oe:l>=0?(r.push(s),n.slice(0,l)+S+n.slice(l)+C+d):n+C+(l===-2?t:d)}return[H(e,a+(e[n]||`<?>`)+(t===2?`</svg>`:t===3?`</math>`:``)),r]},U=class e{constructor({strings:t,_$litType$:n},r){let i;this.parts=[];let a=0,o=0,s=t.length-1,c=this.parts,[l,u]=ce(t,n);if(this.el=e.createElement(l,r),V.currentNode=this.el.content,n===2||n===3){let e=this.el.content.firstChild;e.replaceWith(...e.childNodes)}for(;(i=V.nextNode())!==null&&c.length<s;){if(i.nodeType===1){if(i.hasAttributes())for(let e of i.getAttributeNames())if(e.endsWith(S)){let t=u[o++],n=i.getAttribute(e).split(C),r=/([.?@])?(.*)/.exec(t);c.push({type:1,index:a,name:r[2],strings:n,ctor:r[1]===`.`?ue:r[1]===`?`?de:r[1]===`@`?fe:K}),i.removeAttribute(e)}else e.startsWith(C)&&(c.push({type:6,index:a}),i.removeAttribute(e));if(I.test(i.tagName)){let e=i.textContent.split(C),t=e.length-1;if(t>0){i.textContent=b?b.emptyScript:``;for(let n=0;n<t;n++)i.append(e[n],E()),V.nextNode(),c.push({type:2,index:++a});i.append(e[t],E())}}}else if(i.nodeType===8){if(i.data===w)c.push({type:2,index:a});else{let e=-1;for(;(e=i.data.indexOf(C,e+1))!==-1;)c.push({type:7,index:a}),e+=C.length-1}}a++}}static createElement(e,t){let n=T.createElement(`template`);return n.innerHTML=e,n}};function W(e,t,n=e,r){if(t===R)return t;let i=r===void 0?n._$Cl:n._$Co?.[r],a=D(t)?void 0:t._$litDirective$;return i?.constructor!==a&&(i?._$AO?.(!1),a===void 0?i=void 0:(i=new a(e),i._$AT(e,n,r)),r===void 0?n._$Cl=i:(n._$Co??=[])[r]=i),i!==void 0&&(t=W(e,i._$AS(e,t.values),i,r)),t}var le=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:n}=this._$AD,r=(e?.creationScope??T).importNode(t,!0);V.currentNode=r;let i=V.nextNode(),a=0,o=0,s=n[0];for(;s!==void 0;){if(a===s.index){let t;s.type===2?t=new G(i,i.nextSibling,this,e):s.type===1?t=new s.ctor(i,s.name,s.strings,this,e):s.type===6&&(t=new pe(i,this,e)),this._$AV.push(t),s=n[++o]}a!==s?.index&&(i=V.nextNode(),a++)}return V.currentNode=T,r}p(e){let t=0;for(let n of this._$AV)n!==void 0&&(n.strings===void 0?n._$AI(e[t]):(n._$AI(e,n,t),t+=n.strings.length-2)),t++}},G=class e{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,n,r){this.type=2,this._$AH=z,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=n,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=W(this,e,t),D(e)?e===z||e==null||e===``?(this._$AH!==z&&this._$AR(),this._$AH=z):e!==this._$AH&&e!==R&&this._(e):e._$litType$===void 0?e.nodeType===void 0?se(e)?this.k(e):this._(e):this.T(e):this.$(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==z&&D(this._$AH)?this._$AA.nextSibling.data=e:this.T(T.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:n}=e,r=typeof n==`number`?this._$AC(e):(n.el===void 0&&(n.el=U.createElement(H(n.h,n.h[0]),this.options)),n);if(this._$AH?._$AD===r)this._$AH.p(t);else{let e=new le(r,this),n=e.u(this.options);e.p(t),this.T(n),this._$AH=e}}_$AC(e){let t=B.get(e.strings);return t===void 0&&B.set(e.strings,t=new U(e)),t}k(t){O(this._$AH)||(this._$AH=[],this._$AR());let n=this._$AH,r,i=0;for(let a of t)i===n.length?n.push(r=new e(this.O(E()),this.O(E()),this,this.options)):r=n[i],r._$AI(a),i++;i<n.length&&(this._$AR(r&&r._$AB.nextSibling,i),n.length=i)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let t=y(e).nextSibling;y(e).remove(),e=t}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},K=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,n,r,i){this.type=1,this._$AH=z,this._$AN=void 0,this.element=e,this.name=t,this._$AM=r,this.options=i,n.length>2||n[0]!==``||n[1]!==``?(this._$AH=Array(n.length-1).fill(new String),this.strings=n):this._$AH=z}_$AI(e,t=this,n,r){let i=this.strings,a=!1;if(i===void 0)e=W(this,e,t,0),a=!D(e)||e!==this._$AH&&e!==R,a&&(this._$AH=e);else{let r=e,o,s;for(e=i[0],o=0;o<i.length-1;o++)s=W(this,r[n+o],t,o),s===R&&(s=this._$AH[o]),a||=!D(s)||s!==this._$AH[o],s===z?e=z:e!==z&&(e+=(s??``)+i[o+1]),this._$AH[o]=s}a&&!r&&this.j(e)}j(e){e===z?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??``)}},ue=class extends K{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===z?void 0:e}},de=class extends K{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==z)}},fe=class extends K{constructor(e,t,n,r,i){super(e,t,n,r,i),this.type=5}_$AI(e,t=this){if((e=W(this,e,t,0)??z)===R)return;let n=this._$AH,r=e===z&&n!==z||e.capture!==n.capture||e.once!==n.once||e.passive!==n.passive,i=e!==z&&(n===z||r);r&&this.element.removeEventListener(this.name,this,n),i&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH==`function`?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},pe=class{constructor(e,t,n){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=n}get _$AU(){return this._$AM._$AU}_$AI(e){W(this,e)}},me=v.litHtmlPolyfillSupport;me?.(U,G),(v.litHtmlVersions??=[]).push(`3.3.3`);var he=(e,t,n)=>{let r=n?.renderBefore??t,i=r._$litPart$;if(i===void 0){let e=n?.renderBefore??null;r._$litPart$=i=new G(t.insertBefore(E(),e),e,void 0,n??{})}return i._$AI(e),i},q=globalThis,J=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=he(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return R}};J._$litElement$=!0,J.finalized=!0,q.litElementHydrateSupport?.({LitElement:J});var ge=q.litElementPolyfillSupport;ge?.({LitElement:J}),(q.litElementVersions??=[]).push(`4.2.2`);function _e(e,t){return t||(Object.values(e.entities).find(e=>e?.platform===`wactorz`&&e.entity_id.startsWith(`conversation.`))?.entity_id??`conversation.wactorz`)}async function ve(e,t,n,r){let i=await e.callWS({type:`conversation/process`,text:n,agent_id:t,language:e.language,...r?{conversation_id:r}:{}});return{speech:i.response.speech?.plain?.speech??``,error:i.response.response_type===`error`,conversationId:i.conversation_id,expectsReply:i.continue_conversation===!0}}function Y(e){return e instanceof Error||typeof e==`object`&&e&&`message`in e&&typeof e.message==`string`?e.message:String(e)}var X=o`
  :host { display: block; }
  ha-card {
    display: block;
    background: var(--ha-card-background, var(--card-background-color, #fff));
    color: var(--primary-text-color, #212121);
    border-radius: var(--ha-card-border-radius, 12px);
    border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color, #e0e0e0));
    font-family: var(--ha-font-family-body, Roboto, Noto, sans-serif);
    overflow: hidden;
  }
  .header {
    padding: 12px 16px 4px;
    font-size: var(--ha-card-header-font-size, 1.5rem);
    line-height: 2rem;
    color: var(--ha-card-header-color, var(--primary-text-color, #212121));
  }
  .content { padding: 8px 16px 16px; }
  .muted { color: var(--secondary-text-color, #727272); }
  .error { color: var(--error-color, #db4437); }
  button {
    font: inherit;
    border: none;
    border-radius: 18px;
    padding: 0 16px;
    height: 36px;
    background: var(--primary-color, #03a9f4);
    color: var(--text-primary-color, #fff);
    cursor: pointer;
  }
  button:disabled { opacity: 0.5; cursor: default; }
`,ye=class extends J{static properties={hass:{attribute:!1},_config:{state:!0},_lines:{state:!0},_busy:{state:!0}};_conversationId=null;constructor(){super(),this._config={type:`custom:wactorz-chat-card`},this._lines=[],this._busy=!1}static getStubConfig(){return{title:`Wactorz`}}static getConfigForm(){return{schema:[{name:`title`,selector:{text:{}}},{name:`agent_id`,selector:{conversation_agent:{}}}]}}setConfig(e){if(e.agent_id!==void 0&&typeof e.agent_id!=`string`)throw Error(`agent_id must be a conversation agent id`);this._config=e}getCardSize(){return 6}getGridOptions(){return{columns:12,rows:6,min_rows:4}}static styles=[X,o`
    .log {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-height: 120px;
      max-height: 360px;
      overflow-y: auto;
      padding: 4px 0 8px;
    }
    .bubble {
      max-width: 85%;
      padding: 8px 12px;
      border-radius: 15px;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      line-height: 1.4;
    }
    .user {
      align-self: flex-end;
      background: var(--primary-color, #03a9f4);
      color: var(--text-primary-color, #fff);
      border-bottom-right-radius: 4px;
    }
    .agent {
      align-self: flex-start;
      background: var(--secondary-background-color, #f0f0f0);
      border-bottom-left-radius: 4px;
    }
    .agent.error { background: none; border: 1px solid var(--error-color, #db4437); }
    .typing span { animation: blink 1.2s infinite; }
    .typing span:nth-child(2) { animation-delay: 0.2s; }
    .typing span:nth-child(3) { animation-delay: 0.4s; }
    @keyframes blink { 0%, 80%, 100% { opacity: 0.2; } 40% { opacity: 1; } }
    form { display: flex; gap: 8px; align-items: center; }
    input {
      flex: 1;
      min-width: 0;
      font: inherit;
      height: 36px;
      padding: 0 12px;
      border-radius: 18px;
      border: 1px solid var(--divider-color, #e0e0e0);
      background: var(--card-background-color, #fff);
      color: var(--primary-text-color, #212121);
    }
    .empty { margin: auto 0; text-align: center; }
  `];updated(e){if(e.has(`_lines`)||e.has(`_busy`)){let e=this.renderRoot.querySelector(`.log`);e&&(e.scrollTop=e.scrollHeight)}}async _send(e){e.preventDefault();let t=this.renderRoot.querySelector(`input`),n=t?.value.trim()??``;if(n&&!this._busy&&this.hass&&t){t.value=``,this._lines=[...this._lines,{from:`user`,text:n}],this._busy=!0;try{let e=await ve(this.hass,_e(this.hass,this._config.agent_id),n,this._conversationId);this._conversationId=e.conversationId,this._lines=[...this._lines,{from:`agent`,text:e.speech||`(no answer)`,error:e.error}]}catch(e){this._lines=[...this._lines,{from:`agent`,text:`Could not reach the agent: ${Y(e)}`,error:!0}]}finally{this._busy=!1,t.focus()}}}render(){let e=this._config.title??`Wactorz`;return L`<ha-card>
      ${e?L`<div class="header">${e}</div>`:z}
      <div class="content">
        <div class="log" role="log" aria-live="polite">
          ${this._lines.length===0&&!this._busy?L`<p class="empty muted">Ask Wactorz anything: the house, a device, a rule.</p>`:z}
          ${this._lines.map(e=>L`<div class="bubble ${e.from} ${e.error?`error`:``}" data-from=${e.from}>${e.text}</div>`)}
          ${this._busy?L`<div class="bubble agent typing" aria-label="Wactorz is answering"><span>●</span><span>●</span><span>●</span></div>`:z}
        </div>
        <form @submit=${e=>this._send(e)}>
          <input type="text" name="message" placeholder="Message Wactorz" autocomplete="off" aria-label="Message" ?disabled=${!this.hass} />
          <button type="submit" ?disabled=${this._busy||!this.hass}>Send</button>
        </form>
      </div>
    </ha-card>`}},Z=e=>typeof e==`string`&&e!==``?e:null;function be(e,t){let n=Z(t.attributes.friendly_name)??t.entity_id,r=e.entities[t.entity_id]?.device_id,i=r?e.devices[r]:void 0,a=i?.name_by_user??i?.name;return a&&n.startsWith(`${a} `)?n.slice(a.length+1):n}function Q(e){let t=[];for(let n of Object.values(e.entities)){if(!n||n.platform!==`wactorz`||!n.entity_id.startsWith(`switch.`))continue;let r=e.states[n.entity_id];if(!r)continue;let i=r.attributes;t.push({entityId:r.entity_id,ruleId:Z(i.rule_id),name:be(e,r),description:Z(i.description),enabled:r.state===`on`,available:r.state===`on`||r.state===`off`,status:Z(i.status),lastFiredAt:Z(i.last_fired_at),fireCount:typeof i.fire_count==`number`?i.fire_count:null})}return t.sort((e,t)=>e.name.localeCompare(t.name))}async function xe(e,t,n){await e.callService(`switch`,n?`turn_on`:`turn_off`,{},{entity_id:t})}function Se(e,t,n=Date.now()){let r=Math.round((Date.parse(e)-n)/1e3),i=new Intl.RelativeTimeFormat(t,{numeric:`auto`,style:`short`}),a=Math.abs(r);return a<60?i.format(r,`second`):a<3600?i.format(Math.round(r/60),`minute`):a<86400?i.format(Math.round(r/3600),`hour`):i.format(Math.round(r/86400),`day`)}var Ce={active:`Active`,disabled:`Off`,degraded:`Degraded`,failed:`Failed`},we=class extends J{static properties={hass:{attribute:!1},_config:{state:!0},_pending:{state:!0},_error:{state:!0}};constructor(){super(),this._config={type:`custom:wactorz-rules-card`},this._pending=new Set,this._error=void 0}static getStubConfig(){return{title:`Wactorz rules`}}static getConfigForm(){return{schema:[{name:`title`,selector:{text:{}}},{name:`show_disabled`,default:!0,selector:{boolean:{}}}]}}setConfig(e){this._config=e}getCardSize(){return 1+(this.hass?Q(this.hass).length:2)}static styles=[X,o`
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 12px; padding: 8px 0; }
    li + li { border-top: 1px solid var(--divider-color, #e0e0e0); }
    .text { flex: 1; min-width: 0; }
    .name { overflow-wrap: anywhere; }
    .meta { font-size: 0.875rem; display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
    .chip {
      border-radius: 10px;
      padding: 0 8px;
      font-size: 0.75rem;
      line-height: 1.25rem;
      background: var(--secondary-background-color, #f0f0f0);
    }
    .chip.active { background: color-mix(in srgb, var(--success-color, #43a047) 20%, transparent); }
    .chip.degraded { background: color-mix(in srgb, var(--warning-color, #ffa600) 25%, transparent); }
    .chip.failed { background: color-mix(in srgb, var(--error-color, #db4437) 20%, transparent); }
    input[type='checkbox'] {
      appearance: none;
      width: 36px;
      height: 20px;
      flex: none;
      border-radius: 10px;
      background: var(--switch-unchecked-track-color, #9e9e9e);
      position: relative;
      cursor: pointer;
      margin: 0;
      transition: background 0.15s;
    }
    input[type='checkbox']::after {
      content: '';
      position: absolute;
      top: 2px;
      left: 2px;
      width: 16px;
      height: 16px;
      border-radius: 50%;
      background: #fff;
      transition: transform 0.15s;
    }
    input[type='checkbox']:checked { background: var(--switch-checked-track-color, var(--primary-color, #03a9f4)); }
    input[type='checkbox']:checked::after { transform: translateX(16px); }
    input[type='checkbox']:disabled { opacity: 0.4; cursor: default; }
  `];async _toggle(e,t){let n=t.target;if(this.hass){this._pending=new Set([...this._pending,e.entityId]),this._error=void 0;try{await xe(this.hass,e.entityId,n.checked)}catch(t){this._error=`${e.name}: ${Y(t)}`}finally{this._pending=new Set([...this._pending].filter(t=>t!==e.entityId)),n.checked=this.hass.states[e.entityId]?.state===`on`}}}_row(e){let t=this.hass?.language??`en`,n=e.available?e.status??(e.enabled?`active`:`disabled`):`unavailable`,r=e.available?e.lastFiredAt?L`<span>fired ${Se(e.lastFiredAt,t)}${e.fireCount?L` · ${e.fireCount}×`:z}</span>`:L`<span>not fired yet</span>`:z;return L`<li data-entity=${e.entityId} data-rule=${e.ruleId??z}>
      <div class="text">
        <div class="name">${e.name}</div>
        <div class="meta muted">
          <span class="chip ${n}" data-status=${n}>${Ce[n]??(n===`unavailable`?`Unavailable`:n)}</span>
          ${r}
        </div>
        ${e.description?L`<div class="muted meta">${e.description}</div>`:z}
      </div>
      <input type="checkbox" role="switch" aria-label=${`Enable ${e.name}`} .checked=${e.enabled}
        ?disabled=${!e.available||this._pending.has(e.entityId)}
        @change=${t=>this._toggle(e,t)} />
    </li>`}render(){let e=this._config.title??`Wactorz rules`,t=this.hass?Q(this.hass):[],n=this._config.show_disabled===!1?t.filter(e=>e.enabled):t;return L`<ha-card>
      ${e?L`<div class="header">${e}</div>`:z}
      <div class="content">
        ${this._error?L`<p class="error" role="alert">${this._error}</p>`:z}
        ${n.length===0?L`<p class="muted">No rules yet. Ask Wactorz for one, e.g. "when the front door opens after sunset, turn on the hallway light".</p>`:L`<ul>${n.map(e=>this._row(e))}</ul>`}
      </div>
    </ha-card>`}},Te=[[`wactorz-chat-card`,ye,{name:`Wactorz chat`,description:`Talk with Wactorz: ask, control devices, create rules.`}],[`wactorz-rules-card`,we,{name:`Wactorz rules`,description:`Wactorz's rules with their status and an enable switch.`}]];function $(){for(let[e,t,n]of Te)customElements.get(e)||(customElements.define(e,t),window.customCards??=[],window.customCards.push({type:e,preview:!1,documentationURL:`https://github.com/waldiez/wactorz-homeassistant/blob/main/DOCS.md#dashboard-cards`,...n}))}document.querySelector(`home-assistant`)&&!customElements.get(`home-assistant`)?customElements.whenDefined(`home-assistant`).then($):$();