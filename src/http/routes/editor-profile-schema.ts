/** The byline fields of an editor account, as the editor routes take and answer them. */
import { Type } from 'typebox';
import { LIMITS_PROFILE } from '../../domain/byline.ts';
import { ID_PATTERN } from '../../domain/id-pattern.ts';
import { displayNameOf, type Editor } from '../../store/editor-store.ts';

export const DisplayName = Type.String({
  minLength: 1,
  maxLength: LIMITS_PROFILE.displayName,
  pattern: '\\S',
  description: 'The name bylines show, e.g. "Anna Kovalenko"',
});
export const JobTitle = Type.String({
  maxLength: LIMITS_PROFILE.title,
  description: 'Shown with the byline, e.g. "Kyiv correspondent"',
});
/** A media id from POST /api/media; stored as given, shown only where the media lookup knows it. */
export const AvatarId = Type.String({ pattern: ID_PATTERN, description: 'A media id (POST /api/media)' });

export const ProfileFields = {
  displayName: Type.String({ description: 'The display name, or the account name when none is set' }),
  title: Type.Optional(Type.String()),
  avatar: Type.Optional(Type.String()),
};

/** An editor as the API shows it: the display name always filled in. */
export function editorView(editor: Editor): Editor & { displayName: string } {
  return { ...editor, displayName: displayNameOf(editor) };
}
