import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { requireRole } from '../../http/guards.ts';
import { documentStoreOf } from '../documents/document-storage.ts';
import { complianceHandlers } from './compliance.handlers.ts';
import { groupHandlers } from './groups.handlers.ts';
import { mentorHandlers } from './mentor.handlers.ts';
import { mentoringLocals } from './mentoring-http.ts';
import { protocolAttachmentHandlers } from './protocol-attachments.handlers.ts';
import { trainingHandlers } from './trainings.handlers.ts';

const coordinatorPaths = ['/admin/groups', '/admin/trainings', '/admin/compliance', '/admin/protocols'];

/**
 * Mentoring: the mentor's home and protocols (/mentor), and the coordinator's youth groups, import,
 * trainings, compliance grid and protocol review (/admin/...).
 */
export function mentoringRouter(prisma: PrismaClient, config: Pick<Config, 'baseUrl' | 'uploadDir' | 'documentStore' | 'protocolReminderDaysBeforeMonthEnd' | 'maxFileBytes' | 'documentKeyFile' | 'documentEncryptionKey'>): Router {
  const attachmentSettings = { uploadDir: config.uploadDir, store: documentStoreOf(config), maxFileBytes: config.maxFileBytes, documentKeyFile: config.documentKeyFile, documentEncryptionKey: config.documentEncryptionKey };
  const mentor = mentorHandlers(prisma, attachmentSettings);
  const attachments = protocolAttachmentHandlers(prisma, attachmentSettings);
  const groups = groupHandlers(prisma, config.uploadDir, config.baseUrl);
  const trainings = trainingHandlers(prisma);
  const compliance = complianceHandlers(prisma, config.baseUrl, config.protocolReminderDaysBeforeMonthEnd);

  const router = Router();
  router.use('/mentor', requireRole('MENTOR'), mentoringLocals);
  // The coordinator's pages are guarded with the rest of /admin in app.ts.
  for (const path of coordinatorPaths) router.use(path, mentoringLocals);

  router.get('/mentor', mentor.home);
  router.get('/mentor/groups/:groupId', mentor.groupPage);
  router.post('/mentor/groups/:groupId/participants', mentor.proposeParticipant);
  // A mentor selected as a trainer marks attendance for her own trainings only.
  router.get('/mentor/trainings/:trainingId', trainings.trainerShow);
  router.post('/mentor/trainings/:trainingId/attendance', trainings.trainerSaveAttendance);
  router.get('/mentor/groups/:groupId/protocols/:month', mentor.showProtocol);
  router.post('/mentor/groups/:groupId/protocols/:month', mentor.saveProtocol);
  router.post('/mentor/groups/:groupId/protocols/:month/autosave', mentor.autosaveProtocol);
  router.get('/mentor/groups/:groupId/protocols/:month/print', mentor.printProtocol);
  // Multipart (the form's "Attach" button): the CSRF token travels in the URL and is checked before the file is read.
  router.post('/mentor/groups/:groupId/protocols/:month/attachments', mentor.attachFile);
  // A protocol's file: its mentor, the coordinator and the region's committee chair (the policy decides, others 404).
  router.get('/protocol-attachments/:attachmentId', requireRole('MENTOR', 'COORDINATOR', 'CHAIR'), mentoringLocals, attachments.download);

  router.get('/admin/groups', groups.list);
  router.get('/admin/groups/new', groups.newForm);
  router.post('/admin/groups', groups.create);
  router.get('/admin/groups/import', groups.importForm);
  router.get('/admin/groups/import/template.csv', groups.importTemplate);
  // Multipart: the CSRF token travels in the URL and is checked before the file is read.
  router.post('/admin/groups/import', groups.importPreview);
  router.post('/admin/groups/import/confirm', groups.importConfirm);
  router.get('/admin/groups/import/done', groups.importDone);
  router.get('/admin/groups/import/errors.csv', groups.importErrors);
  router.get('/admin/groups/:groupId', groups.show);
  router.get('/admin/groups/:groupId/edit', groups.editForm);
  router.post('/admin/groups/:groupId', groups.update);
  router.post('/admin/groups/:groupId/participants', groups.addParticipant);
  router.get('/admin/groups/:groupId/participants/:participantId/edit', groups.editParticipant);
  router.post('/admin/groups/:groupId/participants/:participantId', groups.updateParticipant);
  router.post('/admin/groups/:groupId/participants/:participantId/delete', groups.removeParticipant);
  router.post('/admin/groups/:groupId/participants/:participantId/confirm', groups.confirmProposal);
  router.post('/admin/groups/:groupId/participants/:participantId/refuse', groups.refuseProposal);

  router.get('/admin/trainings', trainings.list);
  router.get('/admin/trainings/new', trainings.newForm);
  router.post('/admin/trainings', trainings.create);
  router.get('/admin/trainings/trainers', trainings.trainers);
  router.post('/admin/trainings/trainers/:userId', trainings.setTrainer);
  router.get('/admin/trainings/:trainingId', trainings.show);
  router.get('/admin/trainings/:trainingId/edit', trainings.editForm);
  router.post('/admin/trainings/:trainingId', trainings.update);
  router.post('/admin/trainings/:trainingId/attendance', trainings.saveAttendance);

  router.get('/admin/compliance', compliance.grid);
  router.get('/admin/compliance/export.xlsx', compliance.exportGrid);
  router.get('/admin/compliance/remind/:userId', compliance.confirmReminder);
  router.post('/admin/compliance/remind/:userId', compliance.sendReminder);
  router.get('/admin/protocols/export.xlsx', compliance.exportProtocols);
  router.get('/admin/protocols/:protocolId', compliance.showProtocol);
  router.get('/admin/protocols/:protocolId/print', compliance.printProtocol);
  router.post('/admin/protocols/:protocolId/return', compliance.returnProtocol);
  return router;
}
