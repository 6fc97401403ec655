import Ajv from 'ajv';
import { OutgoingMessage, dataSchemaOf } from '../cloud-events';
import { EVENT_SCHEMAS } from '../contract';

/** Every `ce_type`'s schema compiled, looked up by the message's `ce_dataschema`. */
export function contractValidator(): (
  message: Pick<OutgoingMessage, 'headers'> & { body: unknown },
) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const schema of EVENT_SCHEMAS.values()) ajv.addSchema(schema);
  return ({ headers, body }) => {
    const validate = ajv.getSchema(headers.ce_dataschema ?? '');
    if (!validate) return [`no schema ${headers.ce_dataschema} for ${headers.ce_type}`];
    if (headers.ce_dataschema !== dataSchemaOf(headers.ce_type))
      return [`ce_dataschema does not match ce_type`];
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
